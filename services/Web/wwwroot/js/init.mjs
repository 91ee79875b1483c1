// Enhancement only: every page works without it.
import { initAll } from '/lib/govuk/govuk-frontend.min.js';

initAll();
