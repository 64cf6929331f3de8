// Jest's node environment runs each test file in its own realm, with its own Float32Array. Native
// addons create arrays in Node's main realm, which onnxruntime's JavaScript then refuses as not a
// Float32Array (`instanceof` across realms); so tests see the main realm's typed arrays, as
// the services do.
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = ['Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer'];

class MainRealmTypedArrays extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = MainRealmTypedArrays;
