import { body } from 'express-validator';

export const PASSWORD_MIN = 8;
/** scrypt hashes whatever it is given; a cap keeps one request from costing seconds of CPU. */
export const PASSWORD_MAX = 128;

/** Emails are trimmed and lower-cased, so `Ann@X.com ` and `ann@x.com` are one account. */
export const emailField = () =>
  body('email')
    .isString()
    .withMessage('Email must be a valid email address')
    .bail()
    .trim()
    .toLowerCase()
    .isLength({ max: 254 })
    .withMessage('Email must be at most 254 characters')
    .bail()
    .isEmail()
    .withMessage('Email must be a valid email address');

export const newPasswordField = (name: string) =>
  body(name)
    .isString()
    .withMessage('Password must be a string')
    .bail()
    .isLength({ min: PASSWORD_MIN, max: PASSWORD_MAX })
    .withMessage(`Password must be between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters`);

/** At sign-in only presence is checked: revealing the length rules to a guesser gains nothing. */
export const suppliedPasswordField = (name: string) =>
  body(name)
    .isString()
    .withMessage('You must supply a password')
    .bail()
    .isLength({ min: 1, max: PASSWORD_MAX })
    .withMessage('You must supply a password');
