/**
 * The auth service's shortest accepted password (auth's credentials schema): the sign-up and change
 * password forms check it before asking, and say it as a hint.
 */
export const PASSWORD_MIN = 8;
