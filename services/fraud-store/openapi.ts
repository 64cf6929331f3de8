// The REST API's OpenAPI 3.1 document. It is kept as JSON beside the routes, so that people and tools
// read the same file the server sends; openapi.test.ts holds it to the routes, to what params.ts
// accepts and to the records' Avro schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const OPENAPI_PATH = join(__dirname, 'openapi.json');

/** The document's bytes, read once: the route sends them as they are. */
export const OPENAPI_JSON = readFileSync(OPENAPI_PATH, 'utf8');
