import winston from 'winston';

/** The format of every winston setup: a timestamp and JSON, as most apps log. */
export function jsonFormat() {
  return winston.format.combine(winston.format.timestamp(), winston.format.json());
}
