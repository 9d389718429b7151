// Import of API7 exports (JSON array, {"list": [...]}, NDJSON, CSV) into the cache.
export { importFile, type ImportOptions, type ImportResult, type ImportProgress, type InvalidRecord } from './import-file';
export { detectFormat, type ImportFormat } from './detect-format';
export { MAX_JSON_BYTES } from './read-records';
