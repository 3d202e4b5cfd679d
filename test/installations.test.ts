import type { Installation } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoInstallationStore } from '../src/data/installations.js';
import { keyIdOf, tokenCipher } from '../src/slack/token-cipher.js';
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

describe('rotating the encryption key', () => {
  const KEY_1 = Buffer.alloc(32, 11).toString('base64');
  const KEY_2 = Buffer.alloc(32, 12).toString('base64');
  const team = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
  const rawOf = (teamId: string) => db.connection.collection('installations').findOne({ teamId });

  it('names each key by the first 8 hex digits of its SHA-256, which says nothing of the key', () => {
    expect(keyIdOf(KEY_1)).toMatch(/^[0-9a-f]{8}$/);
    expect(keyIdOf(KEY_1)).not.toBe(keyIdOf(KEY_2));
    expect(tokenCipher(KEY_2, [KEY_1]).keyId).toBe(keyIdOf(KEY_2));
  });

  it('reads what key 1 sealed after rotating to key 2, and seals it again with key 2', async () => {
    await mongoInstallationStore(db.connection, tokenCipher(KEY_1)).storeInstallation(
      installation('T500', 'xoxb-sealed-under-1'),
    );
    expect((await rawOf('T500'))?.sealed.keyId).toBe(keyIdOf(KEY_1));

    const rotated = mongoInstallationStore(db.connection, tokenCipher(KEY_2, [KEY_1]));
    expect((await rotated.fetchInstallation(team('T500'))).bot?.token).toBe('xoxb-sealed-under-1');
    // Sealed again on that first read: key 1 is no longer needed for it.
    const resealed = await rawOf('T500');
    expect(resealed?.sealed.keyId).toBe(keyIdOf(KEY_2));
    expect(JSON.stringify(resealed)).not.toContain('xoxb-sealed-under-1');
    const key2Alone = mongoInstallationStore(db.connection, tokenCipher(KEY_2));
    expect((await key2Alone.fetchInstallation(team('T500'))).bot?.token).toBe('xoxb-sealed-under-1');
  });

  it('writes new installations with key 2 only, which key 1 alone cannot read', async () => {
    const rotated = mongoInstallationStore(db.connection, tokenCipher(KEY_2, [KEY_1]));
    await rotated.storeInstallation(installation('T600', 'xoxb-sealed-under-2'));
    expect((await rawOf('T600'))?.sealed.keyId).toBe(keyIdOf(KEY_2));
    await expect(
      mongoInstallationStore(db.connection, tokenCipher(KEY_1)).fetchInstallation(team('T600')),
    ).rejects.toThrow(new RegExp(`key of id ${keyIdOf(KEY_2)}, which is not configured`));
  });

  it('refuses a key id it does not know with an error naming the id, never a key', async () => {
    await mongoInstallationStore(db.connection, tokenCipher(KEY_1)).storeInstallation(
      installation('T700', 'xoxb-sealed-under-1'),
    );
    const forgotten = mongoInstallationStore(db.connection, tokenCipher(KEY_2));
    const error = await forgotten.fetchInstallation(team('T700')).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe(
      `cannot open the installation of team:T700: sealed with the encryption key of id ${keyIdOf(KEY_1)}, ` +
        `which is not configured (configured: ${keyIdOf(KEY_2)}); put that key back in INSTALLATION_ENCRYPTION_OLD_KEYS`,
    );
    for (const key of [KEY_1, KEY_2]) expect(error?.message).not.toContain(key);
    // Left as it was, for whoever puts the key back.
    expect((await rawOf('T700'))?.sealed.keyId).toBe(keyIdOf(KEY_1));
  });

  it('reads an installation sealed before keys had ids, with whichever configured key opens it', async () => {
    const legacy = tokenCipher(KEY_1).seal(JSON.stringify(installation('T800', 'xoxb-legacy')));
    delete legacy.keyId;
    await db.connection.collection('installations').insertOne({
      key: 'team:T800',
      teamId: 'T800',
      isEnterpriseInstall: false,
      sealed: legacy,
      installedAt: new Date(0),
    });
    const rotated = mongoInstallationStore(db.connection, tokenCipher(KEY_2, [KEY_1]));
    expect((await rotated.fetchInstallation(team('T800'))).bot?.token).toBe('xoxb-legacy');
    expect((await rawOf('T800'))?.sealed.keyId).toBe(keyIdOf(KEY_2));
  });
});
