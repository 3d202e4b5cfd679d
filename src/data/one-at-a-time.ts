/**
 * Runs the writes to one document one at a time in this process. FerretDB applies concurrent
 * updates of one document each to the same old copy, so the last to land undoes the others (two
 * admins saving different settings at once, two people added as admins at once), and its conditional
 * updates are no compare-and-set either (measured: 4 concurrent `updateOne({level: {$lt: 1}})`
 * all report a win). MongoDB needs none of this; these writes are rare, so the wait costs nothing
 * worth counting. Across replicas on FerretDB the race remains: "exactly once" there is a unique insert.
 */
export type OneAtATime = <T>(key: string, write: () => Promise<T>) => Promise<T>;

export function oneAtATime(): OneAtATime {
  const tails = new Map<string, Promise<unknown>>();
  return (key, write) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(write, write);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => tails.get(key) === tail && tails.delete(key));
    return run;
  };
}
