// ts-jest AST transformer: the same @nestjs/swagger compiler plugin as `nest build` (nest-cli.json), so the
// OpenAPI document under test has the DTO schemas the production build has.
const plugin = require('@nestjs/swagger/plugin');
const options = require('../../nest-cli.json').compilerOptions.plugins[0].options;

module.exports = {
  name: 'nestjs-swagger-plugin',
  version: 1,
  factory: (compiler) => plugin.before(options, compiler.program),
};
