/** The UTF-16 code units the text codecs look for with `charCodeAt`. */
export const QUOTE = 0x22; // "
export const PLUS = 0x2b; // +
export const DASH = 0x2d; // -
export const SLASH = 0x2f; // /
export const DIGIT_NINE = 0x39; // 9
export const UPPER_E = 0x45; // E
export const OPEN_BRACKET = 0x5b; // [
export const BACKSLASH = 0x5c; // \
export const CLOSE_BRACKET = 0x5d; // ]
export const LOWER_E = 0x65; // e
export const OPEN_BRACE = 0x7b; // {
export const CLOSE_BRACE = 0x7d; // }
