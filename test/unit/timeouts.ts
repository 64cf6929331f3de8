// Some unit tests run whole simulations; on a loaded runner jest's 5 s default fails them for speed
// alone. (A project-level `testTimeout` is ignored by jest's multi-project runner, hence this file.)
jest.setTimeout(30_000);
