import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Settings } from 'luxon';
import { InvalidHdfsPathError, InvalidOptionError } from '../../src/errors.js';
import {
  parseDestinationTemplate,
  renderDestination,
  type DestinationValues,
} from '../../src/hdfs/destination-template.js';

const values: DestinationValues = {
  start: Date.UTC(2026, 11, 3, 15, 19),
  timeZone: 'Europe/Berlin',
  host: 'web-1.example.com',
  name: 'app',
};

const render = (template: string, overrides: Partial<DestinationValues> = {}) =>
  renderDestination(parseDestinationTemplate(template, 'destination'), {
    ...values,
    ...overrides,
  });

const rendered: Array<[string, Partial<DestinationValues>, string]> = [
  ['/logs/app/dt={yyyy-MM-dd}/hour={HH}', {}, '/logs/app/dt=2026-12-03/hour=16'],
  ['/logs/{name}/{host}', {}, '/logs/app/web-1.example.com'],
  ['/logs/{name}-{host}/x', {}, '/logs/app-web-1.example.com/x'],
  ['/logs/app', {}, '/logs/app'],
  ['/logs/app/', {}, '/logs/app'],
  ['/', {}, '/'],
  ["/logs/{yyyy-MM-dd'T'HH}", {}, '/logs/2026-12-03T16'],
  ['/logs/{kkkk}-W{WW}/{ooo}', {}, '/logs/2026-W49/337'],
  ['/logs/{MMM}/{EEE}', {}, '/logs/Dec/Thu'],
  ['/logs/{yyyy}/{MM}/{dd}/{HH}{mm}', {}, '/logs/2026/12/03/1619'],
  ['/logs/dt={yyyy-MM-dd}', { timeZone: 'UTC' }, '/logs/dt=2026-12-03'],
  [
    '/logs/dt={yyyy-MM-dd}/hour={HH}',
    { start: Date.UTC(2026, 11, 3, 23, 30) },
    '/logs/dt=2026-12-04/hour=00',
  ],
  [
    '/logs/hour={HH}{mm}',
    { timeZone: 'Asia/Kathmandu', start: new Date(Date.UTC(2026, 11, 3, 15, 19)) },
    '/logs/hour=2104',
  ],
];

for (const [template, overrides, path] of rendered) {
  test(`renders ${template} as ${path}`, () => {
    assert.equal(render(template, overrides), path);
  });
}

test('renders both repeated autumn hours into the same local hour', () => {
  const template = '/logs/dt={yyyy-MM-dd}/hour={HH}';
  const first = Date.parse('2026-10-25T02:15:00+02:00');
  const second = Date.parse('2026-10-25T02:15:00+01:00');
  assert.equal(render(template, { start: first }), '/logs/dt=2026-10-25/hour=02');
  assert.equal(render(template, { start: second }), '/logs/dt=2026-10-25/hour=02');
});

test('renders the same path whatever default locale the application set', (t) => {
  const before = Settings.defaultLocale;
  t.after(() => {
    Settings.defaultLocale = before;
  });
  Settings.defaultLocale = 'ar-EG';
  assert.equal(render('/logs/{yyyy-MMM-dd}/{EEEE}'), '/logs/2026-Dec-03/Thursday');
});

const bases: Array<[string, string]> = [
  ['/logs/app/dt={yyyy-MM-dd}/hour={HH}', '/logs/app'],
  ['/logs/app-{name}/x', '/logs'],
  ['/{name}/x', '/'],
  ['/logs/app/', '/logs/app'],
];

for (const [template, base] of bases) {
  test(`takes ${base} as the base directory of ${template}`, () => {
    assert.equal(parseDestinationTemplate(template, 'destination').baseDirectory, base);
  });
}

const refused: Array<[string, RegExp]> = [
  ['logs/{yyyy}', /it is not absolute/],
  ['', /it is not absolute/],
  ['/logs/{HH', /"\{" is not closed/],
  ['/logs/HH}', /"\}" has no "\{"/],
  ['/logs/{{HH}}', /placeholder holds "\{"/],
  ['/logs/{yyyy/MM}', /put slashes outside braces/],
  ["/logs/{'a/b'}", /put slashes outside braces/],
  ['/logs/{}', /placeholder is empty/],
  ['/logs//{HH}', /empty component/],
  ['/logs/{ZZZZ}', /the token "ZZZZ" is not allowed/],
  ['/logs/{ZZ}', /the token "ZZ" is not allowed/],
  ['/logs/{z}', /the token "z" is not allowed/],
  ['/logs/{D}', /the token "D" is not allowed/],
  ['/logs/{yyyy-MM-ddTHH}', /the token "T" is not allowed.*quote literal letters/],
  ['/logs/{hh}', /the token "hh" is not allowed/],
  ['/logs/{HOST}', /written \{host\}, in lower case/],
  ['/logs/{hostname}', /the token "h" is not allowed/],
  ["/logs/{yyyy 'x'}", /" " holds white space/],
  ['/logs/{HH:mm}', /":" holds ":"/],
  ["/logs/{'abc}", /a quote is not closed/],
  ['/logs/a:b/{HH}', /"a:b" holds ":"/],
  ['/logs/x{HH}:', /":" holds ":"/],
  ['/logs/../{HH}', /component "\.\." is a relative reference/],
  ['/logs/./{HH}', /component "\." is a relative reference/],
  ['/logs/.snapshot/{HH}', /reserved by HDFS/],
  ['/.reserved/raw/{HH}', /"\/\.reserved" is reserved/],
  ['/logs/a\tb/{HH}', /holds a control character/],
  ['/logs/dt=%7Byyyy-MM-dd%7D', /decode the URL path/],
  [`/logs/${'x'.repeat(256)}/{HH}`, /longer than 255 bytes/],
];

for (const [template, reason] of refused) {
  test(`refuses the template ${JSON.stringify(template.slice(0, 40))}`, () => {
    assert.throws(
      () => parseDestinationTemplate(template, 'destination'),
      (error: unknown) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.equal(error.option, 'destination');
        assert.equal(error.received, template);
        assert.match(error.message, /^option "destination" must be an absolute HDFS/);
        assert.match(error.message, reason);
        return true;
      },
    );
  });
}

const hostile: Array<[string, RegExp]> = [
  ['..', /component "\.\." is a relative reference/],
  ['.', /component "\." is a relative reference/],
  ['', /component "" is empty/],
  ['a/b', /contains "\/"/],
  ['../../etc', /contains "\/"/],
  ['/etc', /contains "\/"/],
  ['a:b', /contains ":"/],
  ['a\nb', /holds a control character/],
  ['a\u0000b', /NUL/],
  ['a\u007fb', /holds a control character/],
  ['.snapshot', /reserved/],
  ['x'.repeat(256), /longer than 255 bytes/],
];

for (const [host, reason] of hostile) {
  test(`refuses to render with the host ${JSON.stringify(host.slice(0, 20))}`, () => {
    assert.throws(
      () => render('/logs/app/{host}/dt={yyyy-MM-dd}', { host }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidHdfsPathError);
        assert.match(error.reason, reason);
        return true;
      },
    );
  });
}

test('never renders a path outside the base directory, whatever the values', () => {
  const templates = [
    '/logs/app/{host}',
    '/logs/app/{name}/{host}',
    '/logs/{host}-{name}',
  ];
  const pieces = ['..', '.', '/', '', 'a', '%2e%2e', '\\..', '..\\', '..;', '~'];
  for (const source of templates) {
    const template = parseDestinationTemplate(source, 'destination');
    for (const host of pieces.flatMap((a) => pieces.map((b) => a + b))) {
      for (const name of ['app', '..', 'a/..']) {
        let path: string;
        try {
          path = renderDestination(template, { ...values, host, name });
        } catch (error) {
          assert.ok(error instanceof InvalidHdfsPathError);
          continue;
        }
        assert.ok(path.startsWith(`${template.baseDirectory}/`), path);
        assert.ok(!path.split('/').some((part) => part === '.' || part === '..'), path);
      }
    }
  }
});

test('refuses a time zone luxon cannot use, naming it', () => {
  assert.throws(() => render('/logs/{HH}', { timeZone: 'Mars/Olympus' }), {
    name: 'InvalidOptionError',
    option: 'timeZone',
  });
});

test('refuses a start time that is not a time', () => {
  assert.throws(() => render('/logs/{HH}', { start: new Date(Number.NaN) }), {
    name: 'InvalidOptionError',
    option: 'start',
  });
});
