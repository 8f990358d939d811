/**
 * A DO has one alarm; both DOs only ever pull it forward. Moving it later could starve work that
 * is already due, and re-setting an alarm that is as soon already costs a storage write per call.
 */
export async function alarmNoLaterThan(
  storage: Pick<DurableObjectStorage, "getAlarm" | "setAlarm">,
  at: number,
): Promise<void> {
  const pending = await storage.getAlarm();
  if (pending === null || pending > at) await storage.setAlarm(at);
}
