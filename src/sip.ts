/**
 * `sip-elements/sip`: the DOM-free SIP stack, usable without the elements (Node or browser).
 */
export {};
