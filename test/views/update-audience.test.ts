/** The update form's two audience boxes (issue 11): rendered, and read back on submission. */
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { StatusUpdate, Workstream } from '../../src/domain/entities.js';
import { readUpdateForm } from '../../src/views/update-form.js';
import { updateModal } from '../../src/views/update-views.js';

const workstream: Workstream = {
  _id: new Types.ObjectId(),
  teamId: 'T0001',
  programId: new Types.ObjectId(),
  programKey: 'checkout',
  key: 'pay',
  name: 'Payments',
  team: 'pay',
  leadId: 'U0LEAD',
  state: 'active',
  createdAt: new Date('2026-11-01T00:00:00Z'),
};

interface Boxes {
  optional?: boolean;
  element: {
    type: string;
    options: Array<{ value: string; text: { text: string } }>;
    initial_options?: Array<{ value: string }>;
  };
}

function audienceBlock(view: ReturnType<typeof updateModal>): Boxes {
  const block = view.blocks.find((b) => b.block_id === 'audience') as unknown as Boxes | undefined;
  if (block?.element.type !== 'checkboxes') throw new Error('no audience boxes');
  return block;
}

const values = (ticked: string[]) => ({
  workstream: { value: { selected_option: { value: workstream._id.toHexString() } } },
  health: { value: { selected_option: { value: 'blocked' } } },
  summary: { value: { value: 'Vendor is late' } },
  blockers: { value: { value: 'Contract unsigned' } },
  audience: { value: { selected_options: ticked.map((value) => ({ value })) } },
});

describe('the update form’s audience', () => {
  it('offers both boxes, unticked, on a new update: the update client-visible, its blockers internal', () => {
    const block = audienceBlock(updateModal({ workstreams: [workstream], metadata: {} }));
    expect(block.optional).toBe(true);
    expect(block.element.options.map((o) => [o.value, o.text.text])).toEqual([
      ['internal', 'Internal update'],
      ['blockers_visible', 'Blockers visible to clients'],
    ]);
    expect(block.element.initial_options).toBeUndefined();
  });

  it('offers only the update’s box when editing (an edit opens no blocker), ticked if it was internal', () => {
    const editing = { internal: true } as StatusUpdate;
    const block = audienceBlock(
      updateModal({ workstreams: [], selected: workstream, editing, metadata: { updateRef: 'x' } }),
    );
    expect(block.element.options.map((o) => o.value)).toEqual(['internal']);
    expect(block.element.initial_options?.map((o) => o.value)).toEqual(['internal']);
  });

  it.each<[string[], boolean, boolean]>([
    [[], false, true],
    [['internal'], true, true],
    [['blockers_visible'], false, false],
    [['internal', 'blockers_visible'], true, false],
  ])('reads %j as internal %s, blocker internal %s', (ticked, internal, blockerInternal) => {
    const form = readUpdateForm(values(ticked), '2026-11-25');
    expect(form).toMatchObject({ ok: true, content: { internal }, blockerInternal });
  });
});
