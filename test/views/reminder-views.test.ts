/** A reminder DM carries what it is about in its block ids, so a click redraws it as it was. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readReminder, reminderMessage } from '../../src/views/reminder-views.js';
import { DigestFixture, NOW } from '../support/digest-fixtures.js';

describe('reminder DMs', () => {
  it('read back their since, their digest time and their workstreams, whatever the time says', () => {
    const fx = new DigestFixture();
    const workstreams = [fx.workstream('web'), fx.workstream('api')];
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.option(fc.string({ maxLength: 40, unit: 'grapheme' }), { nil: undefined }),
        (since, when) => {
          const message = reminderMessage(
            'U0LEAD',
            { programName: 'Checkout', since, when },
            workstreams,
            NOW,
          );
          const read = readReminder(message.blocks as Array<{ block_id?: string }>);
          expect(read).toEqual({
            since,
            // A time too long to carry within Slack's block id limit is left out, never cut.
            when: when && encodeURIComponent(when).length <= 120 ? when : undefined,
            workstreamIds: workstreams.map((w) => w._id.toHexString()),
          });
          for (const block of message.blocks as Array<{ block_id?: string }>)
            expect((block.block_id ?? '').length).toBeLessThanOrEqual(255);
        },
      ),
    );
  });

  it('never lets the time it carries ping anyone', () => {
    const fx = new DigestFixture();
    const message = reminderMessage(
      'U0LEAD',
      { programName: 'Checkout', since: NOW, when: '<!channel> now' },
      [fx.workstream('web')],
      NOW,
    );
    expect(JSON.stringify(message.blocks)).not.toContain('<!channel>');
  });
});
