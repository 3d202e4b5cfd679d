/** The bot scopes Cairn asks for; manifest.yml must list exactly these (a test checks). */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'users:read',
  'channels:history',
  'groups:history',
  'files:write',
] as const;
