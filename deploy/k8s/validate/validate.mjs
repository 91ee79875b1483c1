// Validates rendered Kubernetes manifests (`kubectl kustomize <overlay>` output, a multi-document YAML file given as the
// argument, or standard input) offline:
//   - objects of the Kubernetes API against its schemas (npm kubernetes-models: types, required fields, enums);
//   - the operators' objects (RabbitmqCluster, CloudNativePG Cluster) against the openAPIV3Schema of their CRDs,
//     vendored in crds/ (see crds/README.md), with ajv; as `kubectl apply --validate=strict` does, a field the schema
//     does not declare is refused (unless the schema keeps unknown fields: x-kubernetes-preserve-unknown-fields);
//   - an object whose apiVersion and kind neither knows is refused: nothing passes unchecked.
// Prints one JSON line: {"objects": N, "checked": ["Kind/name", ...], "errors": ["Kind/name: path message", ...]};
// exits 1 when there is an error.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import Ajv from 'ajv';

const here = dirname(fileURLToPath(import.meta.url));

// Every served version of every vendored CRD, as "group/version Kind" → a compiled validator.
function crdValidators() {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map();
  const folder = join(here, 'crds');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.yaml'))) {
    const crd = parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((d) => d.toJS()).find((d) => d?.kind === 'CustomResourceDefinition');
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const schema = closeUnknownFields(structuredClone(version.schema.openAPIV3Schema));
      validators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, ajv.compile(schema));
    }
  }
  return validators;
}

// The API server refuses (strict field validation) or drops a field a structural schema does not declare: make that an
// error here by closing every object schema that lists its properties and keeps no unknown fields.
function closeUnknownFields(schema) {
  if (schema && typeof schema === 'object') {
    if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
      schema.additionalProperties = false;
    }
    for (const value of Object.values(schema)) {
      closeUnknownFields(value);
    }
  }
  return schema;
}

async function kubernetesModel(apiVersion, kind) {
  try {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

const source = process.argv[2] ? readFileSync(process.argv[2], 'utf8') : readFileSync(0, 'utf8');
const documents = parseAllDocuments(source);
const crds = crdValidators();
const errors = [];
const checked = [];
for (const document of documents) {
  if (document.errors.length > 0) {
    errors.push(`YAML: ${document.errors.map((e) => e.message).join('; ')}`);
    continue;
  }
  const object = document.toJS();
  if (object === null || object === undefined) {
    continue;
  }
  const name = `${object.kind}/${object.metadata?.name ?? '(no name)'}`;
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
    errors.push(`${name}: no apiVersion or kind`);
    continue;
  }
  const crd = crds.get(`${object.apiVersion} ${object.kind}`);
  if (crd) {
    if (!crd(object)) {
      errors.push(...crd.errors.map((e) => `${name}: ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`));
    }
    checked.push(name);
    continue;
  }
  const Model = await kubernetesModel(object.apiVersion, object.kind);
  if (!Model) {
    errors.push(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
    continue;
  }
  if (object.kind === 'Secret' && object.data) {
    // kustomize wraps long base64 values over lines; the API server's decoder (Go's encoding/base64) skips line breaks.
    object.data = Object.fromEntries(Object.entries(object.data).map(([key, value]) => [key, typeof value === 'string' ? value.replace(/[\r\n]/g, '') : value]));
  }
  try {
    new Model(object).validate();
  } catch (error) {
    errors.push(`${name}: ${error.message}`);
  }
  checked.push(name);
}

console.log(JSON.stringify({ objects: checked.length, checked, errors }));
process.exit(errors.length > 0 ? 1 : 0);
