// Validates an OpenAPI document against the official OpenAPI JSON schema of its version and prints
// { valid, version, errors } as JSON. Usage: node validate-openapi.mjs FILE.json
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate-openapi.mjs FILE.json');
  process.exit(2);
}

const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(file, 'utf8')));
console.log(JSON.stringify({ valid: result.valid, version: validator.version ?? null, errors: result.errors ?? null }));
