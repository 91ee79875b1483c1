// GOV.UK Frontend's template hook: marks the body before it renders, so components that need JavaScript style
// themselves only where it runs (an external file, so the content security policy allows no inline script).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
