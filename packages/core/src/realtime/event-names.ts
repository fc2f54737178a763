/**
 * How a class-based namespace finds the method for an event: `chat` → `onChat`,
 * `send_private_message` → `onSendPrivateMessage`, `user joined` → `onUserJoined`. Words are split on
 * underscores, hyphens and spaces; each is capitalised. Names outside `[A-Za-z][A-Za-z0-9_ -]*` have no
 * method (use the class's explicit `events` map for those).
 */
const ALLOWED = /^[A-Za-z][A-Za-z0-9_ -]*$/;

export function methodNameForEvent(event: string): string | undefined {
  if (event.length > 200 || !ALLOWED.test(event)) return undefined;
  let out = 'on';
  for (const word of event.split(/[_ -]+/)) {
    if (word.length === 0) continue;
    out += word[0]!.toUpperCase() + word.slice(1);
  }
  return out.length > 2 ? out : undefined;
}
