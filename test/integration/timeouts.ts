// Real brokers and databases on a loaded 2-core machine need more than jest's 5 s default.
// (A project-level `testTimeout` is ignored by jest's multi-project runner, hence this file.)
jest.setTimeout(120_000);
