import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { CONFIG_LIMITS } from './limits.js';
import { readPlainYaml } from './plain-yaml.js';

/** What the `yaml` package makes of `text` (as the config reader calls it), or `error`. */
function reference(text: string): { value: unknown } | 'error' {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) return 'error';
  try {
    return { value: doc.toJS({ maxAliasCount: CONFIG_LIMITS.maxAliases }) };
  } catch {
    return 'error';
  }
}

/** The fast reader's answer must be the `yaml` package's, whenever it answers. */
function assertAgrees(text: string): 'read' | 'declined' {
  const fast = readPlainYaml(text);
  if (fast === undefined) return 'declined';
  const ref = reference(text);
  assert.notEqual(ref, 'error', `read a text the yaml package refuses: ${JSON.stringify(text)}`);
  assert.ok(ref !== 'error' && isDeepStrictEqual(fast.value, ref.value), `differs from the yaml package on ${JSON.stringify(text)}: ${JSON.stringify(fast.value)}`);
  return 'read';
}

/** The sample configs shipped beside the plugins and examples. */
function sampleConfigs(): string[] {
  const root = new URL('../../../../', import.meta.url);
  const files = [new URL('muster.yaml', root)];
  for (const dir of ['plugins/http-health/', 'plugins/postgres/', 'plugins/jenkins/', 'plugins/system/', 'examples/queue-stats/']) {
    const folder = new URL(dir, root);
    for (const name of readdirSync(folder)) if (name.endsWith('.yaml')) files.push(new URL(name, folder));
  }
  return files.map((f) => readFileSync(f, 'utf8'));
}

describe('readPlainYaml', () => {
  it('reads plain configs exactly as the yaml package does, scalars of every YAML 1.2 core type included', () => {
    const texts = [
      'server: { host: 127.0.0.1, port: 9100 }\ndefaults: { schedule: 15s, timeout: 5s }\nplugins:\n  - { name: a, use: http-health, config: { url: "http://127.0.0.1:1/p?a=1&b=2" } }\n',
      'plugins:\n  - name: a\n    use: postgres\n    labels:\n      team: db # a comment\n    config:\n      port: 5432\n',
      'n: [1, -1, +1, 012, 0o17, 0x1F, 1.5, 1., .5, 1e3, -1E-2, .inf, -.Inf, .NaN, 1_000, 0b11, -0x1, 0o8]\n',
      'b: [true, True, TRUE, false, yes, no, on, off, y]\nz: [null, Null, NULL, ~, "", nil]\nempty:\n',
      't: [2001-12-14, 12:30, "1", \'2\', "a\\tb\\u00e9\\x41", \'it\'\'s\', a#b, "q" ]\n',
      'lit: |\n  one\n  two\n\nfold: >-\n  one\n  two\n\n  three\nkeep: |+\n  x\n\n',
      '__proto__: { polluted: yes }\nconstructor: x\n<<: { a: 1 }\n',
      '1: one\n2.0: two\ntrue: three\n-0: zero\n"quoted key": v\n',
      '# only a comment\n',
      '',
      '---\na: 1\n...\n',
      ...sampleConfigs(),
    ];
    for (const text of texts) assert.equal(assertAgrees(text), 'read', JSON.stringify(text));
  });

  it('declines what the parsers read differently, or what only the yaml package may judge', () => {
    const declined = [
      'a: &x 1\nb: *x\n', // anchors and aliases: the alias limits are the yaml package's
      'a: *x\n',
      'a: !!str 1\n', // tags
      'a: !local x\n',
      '%YAML 1.1\n---\na: yes\n', // a directive changes the schema
      '? [a, b]\n: 1\n', // explicit and complex keys
      '[a]: 1\n',
      '{[a]: 1}\n',
      'null: 1\n', // a null key: "" for the yaml package, "null" for js-yaml
      '~: 1\n',
      ': 1\n',
      `${'k'.repeat(1025)}: v\n`, // an implicit key over 1024 characters
      'a: "one\ntwo"\n', // scalars over several lines
      'a: one\n  two\n',
      'a: >2\n     x\n  \n', // a block scalar with its indentation given
      'a: [b, c]#comment\n', // a comment not after white space
      'a: 1\na: 2\n', // a duplicate key
      'a: b: c\n', // a syntax error
      'a: 1\n---\nb: 2\n', // two documents
      `${'['.repeat(CONFIG_LIMITS.maxDepth + 1)}${']'.repeat(CONFIG_LIMITS.maxDepth + 1)}`, // nested past the limit
      `${'['.repeat(200_000)}`,
      '# old Mac line ends\rserver: { port: 1 }\r', // a carriage return alone: no line break for `yaml`
      'a: 1\rb: 2\r',
      '---# c\na: 1\n', // a document marker with more on its line
      '---{a: 1}\n',
      '--- a: 1\n',
      'a: >\n  x\n\t\n', // a blank line of a block scalar indented with a tab
      'a:\n  - -\n  - x\n', // an empty list entry in a list: js-yaml puts `x` in the inner list
      '- - # c\n- x\n',
    ];
    for (const text of declined) assert.equal(readPlainYaml(text), undefined, JSON.stringify(text.slice(0, 80)));
    // Short of the limit, nesting is read (js-yaml may count a level more than the text has, as a
    // flow collection starting a line is first tried as a key: at the limit itself, `yaml` reads it).
    const deep = CONFIG_LIMITS.maxDepth - 1;
    assert.equal(assertAgrees(`${'['.repeat(deep)}${']'.repeat(deep)}`), 'read');
  });

  it('never answers differently from the yaml package on thousands of damaged configs', () => {
    // Sample configs with a few characters inserted, removed or replaced: texts near valid YAML,
    // where parsers disagree most. The fast reader must answer as the yaml package or decline.
    const corpus = sampleConfigs();
    const marks = [':', ' ', '-', '[', ']', '{', '}', ',', '#', "'", '"', '\n', '\t', '|', '>', '?', '*', '&', '!', '%', '@', '`', '  ', '\n  ', '\\', '~', '1', '\r\n', '---', '\n...\n', '\uFEFF', '\r', '- -', '\n---'];
    let seed = 21;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const counts = { read: 0, declined: 0 };
    for (let i = 0; i < 1500; i++) {
      let text = pick(corpus);
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (text.length + 1));
        const op = random();
        if (op < 0.4) text = text.slice(0, at) + pick(marks) + text.slice(at);
        else if (op < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else text = text.slice(0, at) + pick(marks) + text.slice(at + 1);
      }
      counts[assertAgrees(text)]++;
    }
    // Both paths were taken: the damage is mostly harmless, sometimes not.
    assert.ok(counts.read > 100 && counts.declined > 100, JSON.stringify(counts));
  });
});
