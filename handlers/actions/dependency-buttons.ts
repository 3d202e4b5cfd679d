/** Mark met and Flag broken on a dependency, by either side's lead or the program's owners. */
import { settleDependency } from '../../src/use-cases/dependencies.js';
import { noticeAnswer } from '../../src/views/answer.js';
import { userText } from '../../src/text/escape.js';
import type { ButtonListener } from '../types.js';
import { readClick, refuse, showChange } from './click.js';

const settle =
  (state: 'met' | 'broken'): ButtonListener =>
  async (args) => {
    const { ack, body, context } = args;
    await ack();
    const { services } = context;
    const click = readClick(body);
    if (!click.id) return refuse(args, { kind: 'missing', what: 'dependency' });
    const actor = await context.actor();
    const settled = await settleDependency(services.stores, actor, click.id, state, services.now());
    if (!settled.ok) return refuse(args, settled.problem);
    context.saved(`The dependency is marked ${state}`);
    const { dependency, consumer, provider } = settled.value;
    const text = `${state === 'met' ? '✅ Met' : '💔 Broken'}, says <@${actor.userId}>: ${consumer ? `\`${consumer.programKey}/${consumer.key}\`` : '?'} needed *${userText(dependency.deliverable, 200)}* from ${provider ? `\`${provider.programKey}/${provider.key}\`` : '?'}.`;
    await showChange(args, click, noticeAnswer(text));
  };

export const dependencyMetClicked = settle('met');
export const dependencyBrokenClicked = settle('broken');
