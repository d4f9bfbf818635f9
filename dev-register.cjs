// The dev image's module hook (Dockerfile, stage dev; `node --require /app/dev-register.cjs`): runs a
// service's TypeScript sources with @ticketing/common taken from its sources too, and reads each file
// from /tmp/dev when skaffold has synced a newer copy there (the root file system is read-only).
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const ts = require('typescript');

const synced = (file) => path.join('/tmp/dev', path.relative('/app', file));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  // @ticketing/common from its sources, as the tests map it (jest.preset.js).
  if (request === '@ticketing/common') request = '/app/common/src/index.ts';
  else if (request.startsWith('@ticketing/common/')) {
    request = `/app/common/src/${request.slice('@ticketing/common/'.length)}/index.ts`;
  }
  try {
    return resolve.call(this, request, parent, ...rest);
  } catch (err) {
    // A file added since the image was built exists only in the synced tree.
    if (request.startsWith('.') && parent && parent.filename) {
      const file = path.resolve(path.dirname(parent.filename), request);
      const found = [`${file}.ts`, path.join(file, 'index.ts')].find((f) =>
        fs.existsSync(synced(f)),
      );
      if (found) return found;
    }
    throw err;
  }
};
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(
    fs.existsSync(synced(filename)) ? synced(filename) : filename,
    'utf8',
  );
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  module._compile(outputText, filename);
};
