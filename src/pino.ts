// The pino transport target lands with the transports issue; the subpath exists now
// so that the package's export map is stable from the first release.
export {};
