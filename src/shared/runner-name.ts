/** A runner's name: what users type (`--name build-eu`) and what a connection's Runner field holds. */
export const RUNNER_NAME_PATTERN = /^[a-z0-9-]{1,40}$/

export const RUNNER_NAME_RULE = '1 to 40 lowercase letters, digits and dashes, e.g. build-eu'
