/**
 * What every Cairn listener receives besides Bolt's own arguments: the core's services, the
 * workspace the request came from and who is acting (see middleware/cairn-context.ts).
 */
import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  BlockButtonAction,
  BlockOverflowAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { Actor } from '../src/domain/permissions.js';
import type { Services } from '../src/services.js';

// A type, not an interface: Bolt's custom context must be assignable to an index signature.
export type CairnContext = {
  services: Services;
  /** The Slack team (or org, for an org-wide install) the request belongs to. */
  workspaceId: string | undefined;
  /**
   * Who is acting, with their Slack timezone (a modal's "today", dates like `fri`) and admin rights.
   * Looked up once per request, from a cache; call it after ack() so Slack never waits on it.
   * Rejects with NoWorkspaceError when the request names no workspace.
   */
  actor(): Promise<Actor>;
  /**
   * Notes a change the listener has made, in words: should a later step fail, the user is told what
   * was saved and that nothing else was.
   */
  saved(what: string): void;
};

type With<Args> = Args & AllMiddlewareArgs<CairnContext>;

export type ButtonListener = (args: With<SlackActionMiddlewareArgs<BlockButtonAction>>) => Promise<void>;
export type OverflowListener = (args: With<SlackActionMiddlewareArgs<BlockOverflowAction>>) => Promise<void>;
export type CommandListener = (args: With<SlackCommandMiddlewareArgs>) => Promise<void>;
export type ModalListener = (args: With<SlackViewMiddlewareArgs<ViewSubmitAction>>) => Promise<void>;
export type EventListener<Type extends string> = (
  args: With<SlackEventMiddlewareArgs<Type>>,
) => Promise<void>;
export type CairnMiddleware = Middleware<AnyMiddlewareArgs, CairnContext>;

export class NoWorkspaceError extends Error {
  constructor() {
    super('the request names no workspace');
  }
}
