import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { Schema, type Connection } from 'mongoose';
import { systemNow, type Now } from '../clock.js';
import type { Sealed, TokenCipher } from '../slack/token-cipher.js';

/**
 * A workspace's (or an Enterprise Grid org's) OAuth installation. The whole installation, tokens
 * included, is sealed with AES-256-GCM; only the ids needed to find it, and the id of the key that
 * sealed it, are stored in the clear.
 */
interface InstallationDocument {
  key: string;
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
  sealed: Sealed;
  installedAt: Date;
}

const installationSchema = new Schema<InstallationDocument>(
  {
    key: { type: String, required: true },
    teamId: String,
    enterpriseId: String,
    isEnterpriseInstall: { type: Boolean, required: true },
    sealed: { iv: String, tag: String, data: String, keyId: String },
    installedAt: { type: Date, required: true },
  },
  { collection: 'installations', versionKey: false },
);
installationSchema.index({ key: 1 }, { unique: true });

/** Org-wide installs are found by enterprise, the others by team. */
function keyOf(q: {
  isEnterpriseInstall?: boolean;
  enterpriseId?: string | undefined;
  teamId?: string | undefined;
}): string {
  if (q.isEnterpriseInstall) {
    if (!q.enterpriseId) throw new Error('an org-wide installation needs its enterprise id');
    return `enterprise:${q.enterpriseId}`;
  }
  if (!q.teamId) throw new Error('an installation needs its team id');
  return `team:${q.teamId}`;
}

export function mongoInstallationStore(
  connection: Connection,
  cipher: TokenCipher,
  now: Now = systemNow,
): InstallationStore {
  const Installations = connection.model<InstallationDocument>('Installation', installationSchema);
  return {
    async storeInstallation(installation) {
      const isEnterpriseInstall = Boolean(installation.isEnterpriseInstall);
      const ids = {
        isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      };
      await Installations.updateOne(
        { key: keyOf(ids) },
        {
          $set: { ...ids, sealed: cipher.seal(JSON.stringify(installation)), installedAt: now() },
        },
        { upsert: true },
      );
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await Installations.findOne({ key: keyOf(query) })
        .lean<InstallationDocument>()
        .exec();
      if (!found) throw new Error(`no installation for ${keyOf(query)}`);
      let plaintext: string;
      try {
        plaintext = cipher.open(found.sealed);
      } catch (error) {
        throw new Error(`cannot open the installation of ${found.key}: ${(error as Error).message}`, {
          cause: error,
        });
      }
      if (cipher.isStale(found.sealed)) {
        // Sealed again with the current key on first read rather than at the next reinstall, which
        // may never come: every workspace in use is read within minutes (each request, each job),
        // so after a rotation the old key can soon be retired. Only the document just read is
        // replaced (matched by its iv), never a reinstall stored meanwhile; a failed write is
        // harmless, as the next read tries again.
        await Installations.updateOne(
          { key: found.key, 'sealed.iv': found.sealed.iv },
          { $set: { sealed: cipher.seal(plaintext) } },
        ).catch(() => undefined);
      }
      return JSON.parse(plaintext) as Installation<'v2', boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await Installations.deleteOne({ key: keyOf(query) });
    },
  };
}
