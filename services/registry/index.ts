export { createRegistryApp, type RegistryAppOptions } from './app';
export { startRegistryServer, type RegistryServerOptions, type RunningRegistry } from './server';
export { SchemaStore, type SubjectVersion } from './store';
export { DEFAULT_SCHEMAS_TOPIC, RegistryWriter, openTopicJournal } from './journal';
