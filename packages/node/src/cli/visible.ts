/**
 * C0 controls, DEL and C1 controls: none may reach the terminal from a server (an `error_description`
 * carrying ESC sequences could retitle the window, clear the screen or fake a line). RFC 6749 §4.1.2.1
 * and §5.2 allow none of them in `error` or `error_description` anyway.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` with every control character written out as a visible `\xHH` escape. */
export const visible = (text: string): string =>
  text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
