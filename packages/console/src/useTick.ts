import { useEffect, useState } from 'preact/hooks';

/** Re-renders the caller every `ms`, for texts that age ("12 min") between fetches. */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((count) => count + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}
