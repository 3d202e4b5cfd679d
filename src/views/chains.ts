/**
 * The analysis' chains (SPEC §6) in the digest's words, for the views that read the analysis itself
 * (the card, App Home, `/program risks`): the analysis names workstreams by hex id; these turn them
 * into the labels and links the digest's LineFormat says.
 */
import type { RiskLink } from '../domain/analysis/index.js';
import type { ChainLink, WorkstreamLabel } from '../domain/digest.js';
import type { Id, Workstream } from '../domain/entities.js';

/** How a line names `w`, as seen from the program `home` (another program's work shows its key). */
export function labelOf(w: Workstream, home?: Id): WorkstreamLabel {
  return {
    key: w.key,
    programKey: w.programKey,
    name: w.name,
    leadId: w.leadId,
    external: home === undefined || w.programId.toHexString() !== home.toHexString(),
  };
}

export function chainLinks(
  links: readonly RiskLink[],
  named: ReadonlyMap<string, Workstream>,
  home?: Id,
): ChainLink[] {
  return links.map((l) => {
    const provider = named.get(l.providerId);
    return {
      kind: l.kind,
      ...(provider ? { provider: labelOf(provider, home) } : {}),
      deliverable: l.deliverable,
      neededBy: l.neededBy,
      ...(l.providerForecast ? { providerForecast: l.providerForecast } : {}),
      ...(l.days !== undefined ? { days: l.days } : {}),
      ...(l.commitment ? { commitment: l.commitment } : {}),
      ...(l.committed ? { committed: l.committed } : {}),
      ...(l.proposed ? { proposed: true } : {}),
    };
  });
}
