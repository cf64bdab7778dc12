import { useLayoutEffect, useState } from 'preact/hooks';
import type { SnapshotFrom } from 'xstate';
import type { FrameActor } from './createFrameActor.js';

/** The actor's latest snapshot; components render it and send events, nothing more (docs/engineering.md, habit 6). */
export function useSnapshot(actor: FrameActor): SnapshotFrom<FrameActor['logic']> {
  const [snapshot, setSnapshot] = useState(() => actor.getSnapshot());
  // Subscribed as the component mounts, not after the next paint, so no snapshot is missed between.
  useLayoutEffect(() => {
    setSnapshot(actor.getSnapshot());
    const subscription = actor.subscribe(setSnapshot);
    return () => subscription.unsubscribe();
  }, [actor]);
  return snapshot;
}
