import { readFile } from 'node:fs/promises';
import { Ajv, type AnySchema } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../src/slack/scopes.js';

const schemaPath = new URL('./fixtures/manifest.schema.1.0.0.json', import.meta.url);
const manifestPath = new URL('../manifest.yml', import.meta.url);

interface Manifest {
  features: {
    slash_commands: Array<{ command: string; should_escape?: boolean; description: string }>;
    app_home: { home_tab_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
}

let validate: (data: unknown) => boolean;
let errors: () => unknown;
let manifest: Manifest;

beforeAll(async () => {
  const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as AnySchema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  // Slack's schema spells some patterns as a non-standard `regex` keyword; enforce them too.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, value: string) => new RegExp(pattern).test(value),
  });
  const compiled = ajv.compile(schema);
  validate = (data) => compiled(data) as boolean;
  errors = () => compiled.errors;
  manifest = parse(await readFile(manifestPath, 'utf8')) as Manifest;
});

describe('manifest.yml', () => {
  it("validates against Slack's manifest schema 1.0.0", () => {
    const ok = validate(manifest);
    expect(errors()).toBeNull();
    expect(ok).toBe(true);
  });

  it('is refused by the same schema when broken, so the check above can fail', () => {
    const broken = structuredClone(manifest) as unknown as {
      display_information: { name: string; background_color: string };
    };
    broken.display_information.name = 'x'.repeat(36);
    expect(validate(broken)).toBe(false);
    const badColour = structuredClone(manifest) as unknown as {
      display_information: { background_color: string };
    };
    badColour.display_information.background_color = 'teal!';
    expect(validate(badColour)).toBe(false);
  });

  it('declares /status and /program with escaping on, so users arrive as <@U…|name>', () => {
    const commands = manifest.features.slash_commands.map((c) => [c.command, c.should_escape]);
    expect(commands).toEqual([
      ['/status', true],
      ['/program', true],
    ]);
  });

  it('enables interactivity, the Home tab, app_home_opened, the removal events and Socket Mode', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    // app_uninstalled and tokens_revoked come only "via subscription" (Slack's event reference).
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([
      'app_home_opened',
      'app_uninstalled',
      'tokens_revoked',
    ]);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('asks for the least bot scopes the spec needs, and no user scopes', () => {
    // OAuth installs ask for BOT_SCOPES; the manifest must agree with them.
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
    expect([...BOT_SCOPES].sort()).toEqual(
      [
        'channels:history',
        'chat:write',
        'commands',
        'files:write',
        'groups:history',
        // Before repeating a DM whose answer was lost, the DM is read back (postMessageOnce).
        'im:history',
        'im:write',
        'users:read',
      ].sort(),
    );
    expect(manifest.oauth_config.scopes).not.toHaveProperty('user');
  });
});
