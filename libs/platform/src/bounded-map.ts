/**
 * Sets `key` in a map used as a bounded memory of recent entries: the entry goes last (the most
 * recent), and the oldest ones go while the map holds more than `max`. A process's caches of
 * verified tokens, plan versions or what it last wrote stay this size however long it runs.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
}
