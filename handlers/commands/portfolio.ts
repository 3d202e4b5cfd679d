/** `/program portfolio …` (SPEC §7): parsed in src/parsing/portfolio-command.ts, worked by the core. */
import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../src/domain/permissions.js';
import type { PortfolioRequest } from '../../src/parsing/portfolio-command.js';
import type { Services } from '../../src/services.js';
import * as portfolios from '../../src/use-cases/portfolios.js';
import { noticeAnswer, type Answer } from '../../src/views/answer.js';
import { previewBlocks } from '../../src/views/preview.js';
import { problemView } from '../../src/views/problems.js';
import * as views from '../../src/views/portfolio-views.js';
import { postPortfolioDigestNow } from '../../src/use-cases/scheduler.js';
import { listSchedules } from '../../src/use-cases/schedules.js';
import { scheduleListView } from '../../src/views/schedule-views.js';
import { openScheduleModal } from './schedule-modal.js';

export async function portfolioCommand(
  services: Services,
  actor: Actor,
  request: PortfolioRequest,
  surface: { client: WebClient; triggerId: string; channelId: string },
): Promise<Answer | undefined> {
  const { stores } = services;
  const { channelId } = surface;
  const now = services.now();
  switch (request.kind) {
    case 'new': {
      const created = await portfolios.createPortfolio(stores, actor, request, now);
      return created.ok ? views.portfolioCreatedView(created.value) : problemView(created.problem);
    }
    case 'add': {
      const added = await portfolios.addToPortfolio(stores, actor, request, now);
      return added.ok
        ? views.portfolioProgramsView(added.value.portfolio, added.value.programs, 'added')
        : problemView(added.problem);
    }
    case 'remove': {
      const removed = await portfolios.removeFromPortfolio(stores, actor, request, now);
      return removed.ok
        ? views.portfolioProgramsView(
            removed.value.portfolio,
            removed.value.programs,
            removed.value.removed ? 'removed' : 'not_there',
          )
        : problemView(removed.problem);
    }
    case 'list':
      return views.portfolioListView(await portfolios.listPortfolios(stores, actor));
    case 'show': {
      const shown = await portfolios.showPortfolio(stores, actor, request.key);
      return shown.ok
        ? views.portfolioProgramsView(shown.value.portfolio, shown.value.programs, 'shown')
        : problemView(shown.problem);
    }
    case 'preview': {
      const loaded = await portfolios.loadPortfolioDigest(stores, actor, request.key, now);
      if (!loaded.ok) return problemView(loaded.problem);
      const digest = views.portfolioDigestMessages(loaded.value.view);
      return {
        response_type: 'ephemeral',
        text: digest.main.text,
        blocks: previewBlocks(
          digest.main.blocks,
          digest.thread.map((m) => m.blocks),
        ),
      };
    }
    case 'schedule':
      return openScheduleModal(services, actor, { portfolioKey: request.key }, surface);
    case 'schedules': {
      const listed = await listSchedules(stores, actor, { portfolioKey: request.key });
      return listed.ok
        ? scheduleListView(listed.value.subject, listed.value.schedules)
        : problemView(listed.problem);
    }
    case 'digest': {
      const shown = await portfolios.showPortfolio(stores, actor, request.key);
      if (!shown.ok) return problemView(shown.problem);
      const { portfolio } = shown.value;
      if (portfolio.programIds.length === 0)
        return problemView({ kind: 'empty_portfolio', key: portfolio.key });
      const posted = await postPortfolioDigestNow(services, actor, portfolio, channelId, {
        replicaId: `command:${actor.userId}`,
        now,
      });
      return posted.ok
        ? noticeAnswer(`Posted the digest of the portfolio \`${portfolio.key}\` to <#${channelId}>.`)
        : problemView(posted.problem);
    }
  }
}
