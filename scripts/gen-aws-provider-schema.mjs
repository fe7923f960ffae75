#!/usr/bin/env node
// gen-aws-provider-schema.mjs — regenerate tfmend's aws-provider-schema.json
// from an installed @cdktf/provider-aws package.
//
// Usage: node gen-aws-provider-schema.mjs [--full] [--no-verify] [PACKAGE_DIR] [OUT_FILE]
//   PACKAGE_DIR  installed package (default: node_modules/@cdktf/provider-aws,
//                relative to the current directory)
//   OUT_FILE     where to write the schema (default: stdout)
//   --full       do not apply the reference's two limits (see "Limits" below)
//   --no-verify  skip the cross-check against the compiled code
//
// Output shape (one line of JSON, no trailing newline, like the reference):
//   {"provider": "hashicorp/aws", "bindings": "@cdktf/provider-aws 21.22.1",
//    "resource": {TYPE: BODY, ...}, "data": {TYPE: BODY, ...}}
//   BODY = {ARG: null, ..., BLOCK: {"block": BODY, "list": BOOL}, ...}
//
// Where the facts come from (all recorded by the bindings, nothing guessed):
//   - The jsii assembly (.jsii, or .jsii.gz behind a jsii "file-redirect"):
//     every class whose base is cdktf.TerraformResource / TerraformProvider
//     ("resource") or cdktf.TerraformDataSource ("data"); the config struct
//     its initializer takes; each struct's properties in source order
//     (locationInModule.line); a property whose type is (or is a collection
//     of) a struct of this package is a nested block, "list" true when that
//     collection is an array (a map of structs is list false, a bare struct
//     is list false).
//   - Terraform names: the "Docs at Terraform Registry: {@link ...#NAME ...}"
//     anchor jsii records for every property, and the registry link in each
//     class's "Represents a {@link ... TYPE}" doc for the type name.
//   - Cross-check (on by default when lib/**/index.js is present): the
//     compiled code's `X.tfResourceType = "..."`, and the key each camelCase
//     property is written under in `synthesizeAttributes()` / `xToTerraform()`.
//     Any disagreement aborts with a list of the differences.
//     Pass --no-verify to skip it.
//   - Order: types by the package's source folder name (src/<folder>/index.ts,
//     plain code-unit order), arguments and blocks in declaration order.
//   - Stamp: "provider" from package.json cdktf.provider.name without its
//     registry host, "bindings" from package.json name and version.
//
// Limits kept by default, because shared/aws-provider-schema.json has them and
// the default output must be byte-identical to it (--full lifts both):
//   - a nested block more than 8 levels deep is listed as a plain argument
//     (null) — this truncates aws_bedrockagent_flow and
//     aws_bedrockagentcore_gateway_target;
//   - a nested block whose struct the bindings declare outside the resource's
//     own src/<folder>/index.ts (cdktf moves the structs of its largest
//     resources to src/<folder>/index-structs/structsN.ts) is listed as a
//     plain argument (null) — every block of aws_lexv2models_intent,
//     aws_lexv2models_slot and aws_medialive_channel.
//
// The provider configuration (cdktf.TerraformProvider, type "aws") is listed
// under "resource", as in the reference.
//
// Meta-arguments (provider, depends_on, count, for_each, lifecycle,
// provisioners, connection) come from cdktf.TerraformMetaArguments, which the
// config structs extend; only properties each struct declares itself are
// listed, so they never appear.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const RESOURCE_BASES = new Set(['cdktf.TerraformResource', 'cdktf.TerraformProvider']);
const DATA_BASES = new Set(['cdktf.TerraformDataSource']);
const MAX_DEPTH = 64;
const REFERENCE_MAX_BLOCK_DEPTH = 8;

function fail(message) {
  process.stderr.write(`gen-aws-provider-schema: ${message}\n`);
  process.exit(1);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// Loads the assembly the way jsii's own loader does: `.jsii` is either the
// assembly itself or a redirect {schema: "jsii/file-redirect", filename,
// compression?: "gzip"} to the real (possibly gzipped) file.
function loadAssembly(pkgDir) {
  let file = path.join(pkgDir, '.jsii');
  if (!fs.existsSync(file) && fs.existsSync(`${file}.gz`)) file = `${file}.gz`;
  for (let hops = 0; hops < 4; hops++) {
    let bytes = fs.readFileSync(file);
    if (file.endsWith('.gz') || (bytes[0] === 0x1f && bytes[1] === 0x8b)) bytes = zlib.gunzipSync(bytes);
    const doc = JSON.parse(bytes.toString('utf8'));
    if (doc.schema !== 'jsii/file-redirect') return doc;
    const next = path.resolve(path.dirname(file), doc.filename);
    if (doc.compression && doc.compression !== 'gzip') fail(`unsupported compression ${doc.compression} in ${file}`);
    file = next;
  }
  return fail('too many jsii file redirects');
}

// "Docs at Terraform Registry: {@link https://registry.terraform.io/...#NAME Class#NAME}"
const DOC_LINK = /\{@link https:\/\/registry\.terraform\.io\/providers\/[^\s}]*?(?:#([^\s}]+))? ([^}]*)\}/g;

function docText(docs) {
  return docs ? `${docs.summary ?? ''}\n${docs.remarks ?? ''}` : '';
}

function terraformNameOf(prop, where) {
  const anchors = [...docText(prop.docs).matchAll(DOC_LINK)].filter((m) => m[1]);
  if (anchors.length === 0) fail(`no Terraform Registry anchor on ${where}.${prop.name}`);
  const names = new Set(anchors.map((m) => m[1]));
  if (names.size !== 1) fail(`conflicting anchors on ${where}.${prop.name}: ${[...names].join(', ')}`);
  return anchors[0][1];
}

function terraformTypeOf(cls) {
  // "Represents a {@link https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/x aws_x}"
  const m = [...docText(cls.docs).matchAll(DOC_LINK)];
  if (m.length !== 1) fail(`cannot read the Terraform type of ${cls.fqn} from its docs`);
  return m[0][2].trim();
}

function srcFolderOf(type) {
  const file = type.locationInModule?.filename ?? '';
  const m = /^src\/(.+)\/index\.ts$/.exec(file);
  if (!m) fail(`unexpected source location ${file} for ${type.fqn}`);
  return m[1];
}

function byLine(a, b) {
  return a.locationInModule.line - b.locationInModule.line;
}

function compareCodeUnits(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function makeWalker(types, assemblyName, cutOff) {
  const isLocalStruct = (ref) => ref?.fqn?.startsWith(`${assemblyName}.`)
    && types[ref.fqn]?.kind === 'interface' && types[ref.fqn].datatype === true;

  // Returns {fqn, list} when a property type is a nested block, else null.
  function blockOf(typeRef) {
    if (isLocalStruct(typeRef)) return { fqn: typeRef.fqn, list: false };
    const options = typeRef.union ? typeRef.union.types : [typeRef];
    let found = null;
    for (const option of options) {
      let hit = null;
      if (isLocalStruct(option)) hit = { fqn: option.fqn, list: false };
      else if (option.collection && isLocalStruct(option.collection.elementtype)) {
        hit = { fqn: option.collection.elementtype.fqn, list: option.collection.kind === 'array' };
      }
      if (hit && found) fail(`ambiguous block type ${JSON.stringify(typeRef)}`);
      found = hit ?? found;
    }
    return found;
  }

  // Every struct type walked; used for the cross-check too.
  const visited = [];

  // depth: nesting level of the properties of this struct (1 = the config
  // struct's own properties). homeFile: source file of the owning class.
  function body(fqn, depth, homeFile) {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} at ${fqn}`);
    const struct = types[fqn];
    visited.push(struct);
    const out = {};
    for (const prop of [...(struct.properties ?? [])].sort(byLine)) {
      const name = terraformNameOf(prop, fqn);
      if (Object.hasOwn(out, name)) fail(`duplicate Terraform name ${name} in ${fqn}`);
      const block = blockOf(prop.type);
      if (!block || cutOff(block.fqn, depth, homeFile)) out[name] = null;
      else out[name] = { block: body(block.fqn, depth + 1, homeFile), list: block.list };
    }
    return out;
  }

  return { body, visited };
}

function configStructOf(cls) {
  const param = cls.initializer?.parameters?.find((p) => p.name === 'config');
  if (!param?.type?.fqn) fail(`no config parameter on ${cls.fqn}`);
  return param.type.fqn;
}

function lowerFirst(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

// Cross-check against the compiled code. For a nested struct, its
// `xToTerraform(struct)` function returns `{ tf_key: ...(struct.camelName) }`.
// For a config struct, the class constructor stores `config.camelName` in a
// private field (`this._field = config.camelName`, or
// `this._field.internalValue = config.camelName` for blocks) and the class's
// `synthesizeAttributes()` returns `{ tf_key: ...(this._field...) }`.
// Returns a list of disagreements with the names read from the docs.
function verifyAgainstCode(pkgDir, tsc, entries, visited, types) {
  const srcDir = tsc?.rootDir ?? 'src';
  const outDir = tsc?.outDir ?? 'lib';
  const problems = [];
  let missingCode = 0;
  const codeCache = new Map();
  // src/<x>.ts (jsii's locationInModule) compiles to <outDir>/<x>.js.
  const codeOf = (type) => {
    const source = type.locationInModule.filename;
    if (!codeCache.has(source)) {
      const rel = path.relative(srcDir, source).replace(/\.ts$/, '.js');
      const file = path.join(pkgDir, outDir, rel);
      codeCache.set(source, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null);
    }
    return codeCache.get(source);
  };
  // Text of the object literal returned right after `header` (without braces).
  const returnedObject = (code, header, from = 0) => {
    const start = code.indexOf(header, from);
    if (start < 0) return null;
    const open = code.indexOf('return {', start);
    if (open < 0) return null;
    if (code.startsWith('return {}', open)) return '';
    const close = /\n\s*\};/g;
    close.lastIndex = open;
    const m = close.exec(code);
    return m ? code.slice(open + 'return {'.length, m.index) : null;
  };
  // e.g. "            merge_type: cdktf.stringToTerraform(struct.mergeType),"
  const keysIn = (text, receiver) => {
    const re = new RegExp(`^\\s+([A-Za-z0-9_]+|"[^"]+"): .*?\\b${receiver}\\.(\\w+)`, 'gm');
    const map = new Map();
    for (const m of text.matchAll(re)) map.set(m[2], m[1].replace(/^"|"$/g, ''));
    return map;
  };
  const compare = (fqn, keyOfProp, written) => {
    const props = types[fqn].properties ?? [];
    for (const prop of props) {
      const codeName = keyOfProp(prop.name);
      const docName = terraformNameOf(prop, fqn);
      if (codeName !== docName) problems.push(`${fqn}.${prop.name}: docs say ${docName}, code says ${codeName}`);
    }
    if (written !== props.length) problems.push(`${fqn}: code writes ${written} keys, jsii lists ${props.length}`);
  };

  for (const { cls, tfType, configFqn } of entries) {
    const code = codeOf(cls);
    if (code == null) { missingCode++; continue; }
    const type = new RegExp(`\\b${cls.name}\\.tfResourceType = "([^"]+)"`).exec(code);
    if (!type || type[1] !== tfType) problems.push(`${cls.fqn}: docs say type ${tfType}, code says ${type?.[1]}`);
    const classAt = code.indexOf(`class ${cls.name} extends `);
    const ctorAt = code.indexOf('constructor(scope, id, config', classAt);
    const synthAt = code.indexOf('synthesizeAttributes() {', ctorAt);
    if (classAt < 0 || ctorAt < 0 || synthAt < 0) { problems.push(`${cls.fqn}: class code not understood`); continue; }
    const fieldOf = new Map();
    for (const m of code.slice(ctorAt, synthAt).matchAll(/this\.(_\w+)(?:\.internalValue)? = config\.(\w+);/g)) {
      fieldOf.set(m[2], m[1]);
    }
    const text = returnedObject(code, 'synthesizeAttributes() {', synthAt);
    if (text == null) { problems.push(`${cls.fqn}: synthesizeAttributes not understood`); continue; }
    const keyOfField = keysIn(text, 'this');
    compare(configFqn, (name) => keyOfField.get(fieldOf.get(name)), keyOfField.size);
  }
  const configs = new Set(entries.map((e) => e.configFqn));
  for (const struct of new Set(visited)) {
    if (configs.has(struct.fqn)) continue;
    const code = codeOf(struct);
    if (code == null) { missingCode++; continue; }
    const text = returnedObject(code, `function ${lowerFirst(struct.name)}ToTerraform(struct) {`);
    if (text == null) { problems.push(`${struct.fqn}: ToTerraform function not found`); continue; }
    const keyOfProp = keysIn(text, 'struct');
    compare(struct.fqn, (name) => keyOfProp.get(name), keyOfProp.size);
  }
  return { problems, missingCode };
}

function main() {
  const args = process.argv.slice(2);
  const verify = !args.includes('--no-verify');
  const full = args.includes('--full');
  const positional = args.filter((a) => a !== '--no-verify' && a !== '--full');
  if (positional.some((a) => a.startsWith('-')) || positional.length > 2) {
    fail('usage: gen-aws-provider-schema.mjs [--full] [--no-verify] [PACKAGE_DIR] [OUT_FILE]');
  }
  const pkgDir = path.resolve(positional[0] ?? path.join('node_modules', '@cdktf', 'provider-aws'));
  const outFile = positional[1];

  if (!fs.existsSync(path.join(pkgDir, 'package.json'))) fail(`no installed package at ${pkgDir}`);
  const pkg = readJson(path.join(pkgDir, 'package.json'));
  const assembly = loadAssembly(pkgDir);
  if (assembly.name !== pkg.name || assembly.version !== pkg.version) {
    fail(`assembly ${assembly.name}@${assembly.version} does not match package.json ${pkg.name}@${pkg.version}`);
  }
  const providerSource = pkg.cdktf?.provider?.name;
  if (!providerSource) fail('package.json has no cdktf.provider.name');

  const types = assembly.types;
  // The reference schema (shared/aws-provider-schema.json) stops at two
  // limits, which the default output keeps so that it is byte-identical:
  //   - a nested block deeper than REFERENCE_MAX_BLOCK_DEPTH levels is
  //     listed as a plain argument (null);
  //   - a nested block whose struct the bindings declare outside the
  //     resource's own src/<folder>/index.ts (cdktf moves the structs of its
  //     largest resources to src/<folder>/index-structs/structsN.ts) is
  //     listed as a plain argument (null).
  // --full lifts both and lists every nested block the bindings declare.
  const cutOff = full
    ? () => false
    : (structFqn, depth, homeFile) => depth > REFERENCE_MAX_BLOCK_DEPTH
      || types[structFqn].locationInModule?.filename !== homeFile;
  const walker = makeWalker(types, assembly.name, cutOff);
  const entries = [];
  for (const type of Object.values(types)) {
    if (type.kind !== 'class') continue;
    const section = RESOURCE_BASES.has(type.base) ? 'resource' : DATA_BASES.has(type.base) ? 'data' : null;
    if (!section) continue;
    entries.push({ cls: type, section, folder: srcFolderOf(type), tfType: terraformTypeOf(type), configFqn: configStructOf(type) });
  }
  entries.sort((a, b) => compareCodeUnits(a.folder, b.folder));

  const schema = {
    provider: providerSource.replace(/^registry\.terraform\.io\//, ''),
    bindings: `${pkg.name} ${pkg.version}`,
    resource: {},
    data: {},
  };
  for (const { cls, section, tfType, configFqn } of entries) {
    if (Object.hasOwn(schema[section], tfType)) fail(`${section} ${tfType} defined twice (${cls.fqn})`);
    schema[section][tfType] = walker.body(configFqn, 1, cls.locationInModule.filename);
  }

  if (verify) {
    const tsc = pkg.jsii?.tsc;
    if (fs.existsSync(path.join(pkgDir, tsc?.outDir ?? 'lib'))) {
      const { problems, missingCode } = verifyAgainstCode(pkgDir, tsc, entries, walker.visited, types);
      if (missingCode) problems.push(`${missingCode} types have no compiled code to check against`);
      if (problems.length) fail(`cross-check against lib/**/index.js failed:\n  ${problems.join('\n  ')}`);
    } else {
      process.stderr.write('gen-aws-provider-schema: no compiled code folder, skipping the cross-check\n');
    }
  }

  const text = JSON.stringify(schema);
  if (outFile) fs.writeFileSync(outFile, text);
  else process.stdout.write(text);
}

main();
