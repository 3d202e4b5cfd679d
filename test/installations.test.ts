import type { Installation } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoInstallationStore } from '../src/data/installations.js';
import { tokenCipher } from '../src/slack/token-cipher.js';
import { testDatabase } from './support/database.js';

const KEY = Buffer.alloc(32, 3).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 4).toString('base64');
let db: Awaited<ReturnType<typeof testDatabase>>;

beforeAll(async () => {
  db = await testDatabase('installations');
});
afterAll(async () => db.drop());

function installation(teamId: string, token: string): Installation<'v2', false> {
  return {
    team: { id: teamId, name: 'Acme' },
    enterprise: undefined,
    user: { id: 'U1', token: undefined, scopes: undefined },
    bot: { token, scopes: ['commands'], id: 'B1', userId: 'UBOT' },
    isEnterpriseInstall: false,
    appId: 'A1',
    tokenType: 'bot',
    authVersion: 'v2',
  };
}

describe('the MongoDB installation store', () => {
  it('keeps bot tokens encrypted at rest and gives them back on fetch', async () => {
    const store = mongoInstallationStore(db.connection, tokenCipher(KEY));
    await store.storeInstallation(installation('T100', 'xoxb-secret-100'));

    const raw = await db.connection.collection('installations').findOne({ teamId: 'T100' });
    expect(raw).not.toBeNull();
    expect(JSON.stringify(raw)).not.toContain('xoxb-secret-100');

    const fetched = await store.fetchInstallation({
      teamId: 'T100',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(fetched.bot?.token).toBe('xoxb-secret-100');
  });

  it('replaces a reinstall in place and keeps workspaces apart', async () => {
    const store = mongoInstallationStore(db.connection, tokenCipher(KEY));
    await store.storeInstallation(installation('T200', 'xoxb-old'));
    await store.storeInstallation(installation('T200', 'xoxb-new'));
    await store.storeInstallation(installation('T300', 'xoxb-other'));
    expect(await db.connection.collection('installations').countDocuments({ teamId: 'T200' })).toBe(1);
    const t200 = await store.fetchInstallation({
      teamId: 'T200',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(t200.bot?.token).toBe('xoxb-new');
    await expect(
      store.fetchInstallation({ teamId: 'T999', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(/no installation for team:T999/);
  });

  it('cannot be read with another key, and forgets a deleted installation', async () => {
    await mongoInstallationStore(db.connection, tokenCipher(KEY)).storeInstallation(
      installation('T400', 'xoxb-400'),
    );
    const wrongKey = mongoInstallationStore(db.connection, tokenCipher(OTHER_KEY));
    await expect(
      wrongKey.fetchInstallation({ teamId: 'T400', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow();
    const store = mongoInstallationStore(db.connection, tokenCipher(KEY));
    await store.deleteInstallation?.({ teamId: 'T400', enterpriseId: undefined, isEnterpriseInstall: false });
    await expect(
      store.fetchInstallation({ teamId: 'T400', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(/no installation/);
  });
});
