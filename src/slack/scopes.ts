/** The bot scopes Cairn asks for; manifest.yml must list exactly these (a test checks). */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  // Reading a DM back before repeating it (postMessageOnce): a lost answer never doubles a reminder.
  'im:history',
  'users:read',
  'channels:history',
  'groups:history',
  'files:write',
] as const;
