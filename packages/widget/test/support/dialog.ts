// jsdom has <dialog> but none of its methods. Browsers put a modal one in the top layer and make the
// rest of the page inert; here it is enough to record which way it was opened.
const proto = HTMLDialogElement.prototype as HTMLDialogElement & { modal?: boolean };
proto.show = function show(this: HTMLDialogElement & { modal?: boolean }) {
  this.modal = false;
  this.setAttribute('open', '');
};
proto.showModal = function showModal(this: HTMLDialogElement & { modal?: boolean }) {
  this.modal = true;
  this.setAttribute('open', '');
};
proto.close = function close(this: HTMLDialogElement) {
  if (!this.hasAttribute('open')) return;
  this.removeAttribute('open');
  this.dispatchEvent(new Event('close'));
};
