/**
 * What image automation adds to the ProjectDO's log: only changes it made or could not make.
 * Keys make each idempotent: the same pin is committed, overridden or refused once.
 */
export type ImageEvent =
  | {
      type: "image.committed";
      data: { app: string; file: string; image: string; previous: string; commit: string; policy: string };
    }
  /** `write_back: false`: deployed without a commit; git still pins `pinned` on purpose. */
  | { type: "image.overridden"; data: { app: string; image: string; pinned: string; policy: string } }
  /** The pinned line could not be rewritten (changed under Tower, gone): nothing was pushed. */
  | { type: "image.conflict"; data: { app: string; file: string; image: string; reason: string } };

export function imageEventKey(e: ImageEvent): string {
  return `${e.type}:${e.data.app}:${e.data.image}`;
}
