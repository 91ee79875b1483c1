// Prints the objects of a multi-document YAML file (the argument) as one JSON array, for the deployment tests to read.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const objects = parseAllDocuments(readFileSync(process.argv[2], 'utf8')).map((d) => d.toJS()).filter((o) => o !== null && o !== undefined);
console.log(JSON.stringify(objects));
