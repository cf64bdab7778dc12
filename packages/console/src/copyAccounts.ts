import { type ExportFormat, type Handover, LINK_HOURS, type Locale, PASSWORD_MIN, type Role } from './types.js';

/**
 * The words of the team page, the person's own settings, the one-time link page, the audit log's
 * actions and details, the delivery cards and the export's formats, in English and Spanish (usted).
 * The rest of the console's words are in copy.ts; pick this table with the same locale.
 */
const en = {
  // The team page
  teamTitle: 'Team',
  teamIntro:
    "The center's console accounts. Invite a colleague, change a role, reset a password or remove an account. Every change is written to the audit log.",
  membersTitle: 'Accounts',
  noMembers: 'No accounts yet.',
  account: 'Account',
  role: 'Role',
  language: 'Language',
  lastSignIn: 'Last sign-in',
  state: 'State',
  actions: 'Actions',
  roles: { admin: 'Admin', staff: 'Staff' } satisfies Record<Role, string>,
  roleHelp: {
    admin: 'Works leads, and also manages the team, reads the audit log and exports leads.',
    staff: 'Works the inbox and its leads.',
  } satisfies Record<Role, string>,
  languages: { en: 'English', es: 'Spanish' } satisfies Record<Locale, string>,
  you: 'you',
  neverSignedIn: 'Never signed in',
  linkWorksUntil: (time: string) => `Link works until ${time}`,
  linkExpired: (time: string) => `Link expired ${time}`,
  lockedUntil: (time: string) => `Locked until ${time}`,
  invited: 'Invited',
  active: 'Can sign in',
  makeAdmin: 'Make admin',
  makeStaff: 'Make staff',
  resetPassword: 'Reset password',
  unlock: 'Unlock',
  remove: 'Remove',
  cancel: 'Cancel',
  handoverLegend: 'How to hand over the sign-in',
  handoverLink: 'A one-time link (recommended)',
  handoverLinkHelp: `It works once, for ${LINK_HOURS} hours; they choose their own password with it.`,
  handoverPassword: 'A generated password',
  handoverPasswordHelp: 'You hand over a password; they can change it in My settings.',
  resetWarning: (email: string) =>
    `The current password of ${email} stops working at once, and every session of the account is signed out.`,
  confirmReset: 'Reset the password',
  removeQuestion: (email: string) => `Remove ${email}?`,
  removeWarning: 'The account and its sessions end now, and the leads it has go back to no one. This cannot be undone.',
  removeSelfWarning: 'This is your own account: you will be signed out at once.',
  keepAccount: 'Keep the account',
  confirmRemove: 'Remove the account',
  roleNow: (email: string, role: Role) => (role === 'admin' ? `${email} is now an admin.` : `${email} is now staff.`),
  unlocked: (email: string) => `${email} is unlocked and can sign in again.`,
  removed: (email: string) => `${email} was removed.`,
  inviteMade: (email: string) => `Account made for ${email}. Hand over the sign-in shown below.`,
  resetMade: (email: string) => `Password reset for ${email}. Hand over the sign-in shown below.`,

  inviteTitle: 'Invite a colleague',
  inviteEmail: 'Their e-mail address',
  inviteRole: 'Role',
  inviteLanguage: 'Language of their console',
  invite: 'Invite',
  inviting: 'Inviting…',
  emailMissing: "Enter the colleague's e-mail address.",

  // What an admin hands over, shown once
  handoverLinkTitle: (email: string) => `One-time link for ${email}`,
  handoverPasswordTitle: (email: string) => `Password for ${email}`,
  shownOnce: 'Shown this once. It is gone when you leave this page, and no one can read it here again.',
  handOverLink: (email: string, time: string) =>
    `Give this link to ${email} yourself: in person, by phone or in a private message, never in a shared channel or group e-mail. It works once, until ${time}.`,
  handOverPassword: (email: string) =>
    `Give this password to ${email} yourself: in person, by phone or in a private message, never in a shared channel or group e-mail. They can change it in My settings.`,
  linkLabel: 'One-time link',
  passwordLabel: 'Password',
  copy: 'Copy',
  copied: 'Copied.',
  copyFailed: 'Could not copy. Select the text and copy it yourself.',
  hide: 'Done, hide it',

  // The person's own settings
  settingsTitle: 'My settings',
  settingsIntro: (email: string) => `The settings of your own account, ${email}. They change no one else's.`,
  languageTitle: 'Language',
  languageLegend: 'Language of the console',
  saveLanguage: 'Save language',
  languageSaved: 'Language saved.',
  alertsTitle: 'Alerts for new callback requests',
  alertsIntro: 'While the console is open on this device. Both are off until you turn them on.',
  soundLabel: 'Play a sound for each new callback request',
  desktopLabel: 'Show a desktop notification',
  desktopHelp: 'It says only “New callback request” and the urgency: never a name, phone number or answer.',
  testSound: 'Play a test sound',
  noSound: 'This browser cannot play sounds.',
  alertsSaved: (sound: boolean, desktop: boolean) =>
    `Alerts saved: sound ${sound ? 'on' : 'off'}, desktop notifications ${desktop ? 'on' : 'off'}.`,
  notificationsRefused:
    'The browser did not allow notifications, so they stay off. To turn them on, allow notifications for this site in the browser’s settings, then try again.',
  noNotifications: 'This browser cannot show desktop notifications, so they stay off.',
  notAllowedHere:
    'Desktop notifications are on for your account, but this browser has not allowed them. Turn the box off and on again to be asked.',
  passwordTitle: 'Change your password',
  currentPassword: 'Current password',
  newPassword: 'New password',
  confirmPassword: 'New password again',
  passwordHelp: `At least ${PASSWORD_MIN} characters; a few unrelated words make a good one.`,
  changePassword: 'Change password',
  passwordChanged: 'Password changed. You stay signed in here; your other sessions were signed out.',
  currentMissing: 'Enter your current password.',
  tooShort: `Use at least ${PASSWORD_MIN} characters.`,
  mismatch: 'The two new passwords are not the same.',
  saving: 'Saving…',

  // The one-time link page
  linkChecking: 'Checking the link…',
  linkInviteTitle: 'Set your password',
  linkResetTitle: 'Choose a new password',
  linkBadTitle: 'This link cannot be used',
  linkFor: (email: string, center: string) => `Set a password for ${email} at ${center}.`,
  linkUntil: (time: string) => `This link works once, until ${time}.`,
  setPassword: 'Set password and sign in',
  settingPassword: 'Signing in…',
  goToSignIn: 'Go to sign-in',

  // The audit log
  cli: "the server's command line",
  auditActions: {
    login: 'Signed in',
    'login.failed': 'Failed sign-in',
    logout: 'Signed out',
    'inbox.view': 'Viewed the inbox',
    'lead.view': 'Opened a lead',
    'lead.status': 'Changed a status',
    'lead.note': 'Added a note',
    'lead.assign': 'Assigned a lead',
    'leads.export': 'Exported leads',
    'leads.export.unreadable': 'Exported leads the keys could not open',
    'keys.rotate': 'Re-sealed data under a new key',
    'leads.exported': 'Exported leads',
    'delivery.replay': 'Retried a delivery',
    'staff.add': 'Added an account',
    'staff.invite': 'Invited a colleague',
    'staff.role': 'Changed a role',
    'staff.reset': 'Reset a password',
    'staff.unlock': 'Unlocked an account',
    'staff.remove': 'Removed an account',
    'staff.password': 'Changed a password',
    'staff.password_failed': 'Wrong current password',
    'staff.settings': 'Changed their settings',
    'staff.link_used': 'Used a one-time link',
  } as Readonly<Record<string, string>>,
  auditFailures: (count: number) => (count === 1 ? '1 failed try' : `${count} failed tries in a row`),
  auditLocked: (time: string) => `locked until ${time}`,
  auditViews: { open: 'open leads', all: 'all leads', mine: 'their leads' } as Readonly<Record<string, string>>,
  auditFilter: (name: string, value: string) => `${name}: ${value}`,
  auditFilterNames: {
    status: 'status',
    urgency: 'urgency',
    route: 'route',
    locale: 'language',
    assignee: 'assigned to',
    from: 'from',
    to: 'until',
  } as Readonly<Record<string, string>>,
  auditSearched: 'a search',
  auditPage: (page: number) => `page ${page}`,
  auditShown: (shown: number, total: number) => `${shown} of ${total} leads`,
  auditAssignedTo: (email: string) => `to ${email}`,
  auditNoOne: 'no one',
  auditReassigned: (from: string, to: string) => `from ${from} to ${to}`,
  auditExport: (format: string, count: number | null, since: string | null) => {
    const head = count === null ? format : `${format}, ${count === 1 ? '1 lead' : `${count} leads`}`;
    return since ? `${head} since ${since}` : head;
  },
  auditDelivery: (id: string) => `delivery ${id}`,
  auditHandover: { link: 'by one-time link', password: 'by password' } as Readonly<Record<string, string>>,
  auditRole: (email: string, from: string, to: string) => `${email}: ${from} → ${to}`,
  leadsReturned: (count: number) => (count === 1 ? '1 lead given back' : `${count} leads given back`),
  auditLanguage: (language: string) => `language: ${language}`,
  auditAlerts: (sound: boolean, desktop: boolean) =>
    `sound ${sound ? 'on' : 'off'}, desktop notifications ${desktop ? 'on' : 'off'}`,
  auditPurpose: { invite: 'an invitation', reset: 'a password reset' } as Readonly<Record<string, string>>,

  // The delivery cards
  deliveryTo: { webhook: 'Webhook to', email: 'E-mail to' },
  deliveryOutcome: {
    pending: (attempts: number) =>
      attempts === 0
        ? 'Not sent yet.'
        : `Not sent yet: ${attempts === 1 ? '1 attempt' : `${attempts} attempts`} so far.`,
    sending: () => 'Sending now.',
    delivered: () => 'Delivered.',
    dead: (attempts: number) => `Not sent: gave up after ${attempts === 1 ? '1 attempt' : `${attempts} attempts`}.`,
    skipped: () => 'Not sent: skipped.',
  },
  skippedBecause: (reason: string) => `Not sent: skipped because ${reason}.`,
  deliveredAt: (time: string) => `Delivered ${time}.`,
  nextAttempt: 'Next attempt',

  // The export
  exportIntro:
    "The center's leads created since the day you choose. The file holds health information: keep it on a work device and delete it when you are done. Every export is written to the audit log.",
  formatLegend: 'Format',
  formats: { csv: 'CSV', json: 'JSON' } satisfies Record<ExportFormat, string>,
  formatHelp: {
    csv: 'For a spreadsheet: one row per lead, each answer as its words and its raw value, then the assignee, notes and status history.',
    json: 'For another program: one object per lead, with its answers, notes and status history as lists.',
  } satisfies Record<ExportFormat, string>,
  download: (format: string) => `Download ${format}`,
};

export type AccountsCopy = typeof en;

const es: AccountsCopy = {
  teamTitle: 'Equipo',
  teamIntro:
    'Las cuentas de la consola del centro. Invite a alguien, cambie un rol, restablezca una contraseña o elimine una cuenta. Cada cambio queda en el registro de auditoría.',
  membersTitle: 'Cuentas',
  noMembers: 'Todavía no hay cuentas.',
  account: 'Cuenta',
  role: 'Rol',
  language: 'Idioma',
  lastSignIn: 'Último inicio de sesión',
  state: 'Estado',
  actions: 'Acciones',
  roles: { admin: 'Administrador', staff: 'Personal' },
  roleHelp: {
    admin: 'Atiende solicitudes y además administra el equipo, lee el registro de auditoría y exporta solicitudes.',
    staff: 'Atiende la bandeja y sus solicitudes.',
  },
  languages: { en: 'Inglés', es: 'Español' },
  you: 'usted',
  neverSignedIn: 'Nunca ha iniciado sesión',
  linkWorksUntil: (time) => `El enlace sirve hasta: ${time}`,
  linkExpired: (time) => `El enlace venció: ${time}`,
  lockedUntil: (time) => `Bloqueada hasta: ${time}`,
  invited: 'Invitada',
  active: 'Puede iniciar sesión',
  makeAdmin: 'Hacer administrador',
  makeStaff: 'Hacer personal',
  resetPassword: 'Restablecer contraseña',
  unlock: 'Desbloquear',
  remove: 'Eliminar',
  cancel: 'Cancelar',
  handoverLegend: 'Cómo entregar el acceso',
  handoverLink: 'Un enlace de un solo uso (recomendado)',
  handoverLinkHelp: `Sirve una vez, durante ${LINK_HOURS} horas; con él la persona elige su propia contraseña.`,
  handoverPassword: 'Una contraseña generada',
  handoverPasswordHelp: 'Usted entrega una contraseña; la persona puede cambiarla en Mi configuración.',
  resetWarning: (email) =>
    `La contraseña actual de ${email} deja de funcionar de inmediato y se cierran todas las sesiones de la cuenta.`,
  confirmReset: 'Restablecer la contraseña',
  removeQuestion: (email) => `¿Eliminar ${email}?`,
  removeWarning: 'La cuenta y sus sesiones terminan ahora, y sus solicitudes quedan sin asignar. No se puede deshacer.',
  removeSelfWarning: 'Es su propia cuenta: su sesión se cerrará de inmediato.',
  keepAccount: 'Conservar la cuenta',
  confirmRemove: 'Eliminar la cuenta',
  roleNow: (email, role) => `${email} ahora tiene el rol ${role === 'admin' ? 'Administrador' : 'Personal'}.`,
  unlocked: (email) => `${email} está desbloqueada y puede volver a iniciar sesión.`,
  removed: (email) => `Se eliminó ${email}.`,
  inviteMade: (email) => `Cuenta creada para ${email}. Entregue el acceso que se muestra abajo.`,
  resetMade: (email) => `Contraseña restablecida para ${email}. Entregue el acceso que se muestra abajo.`,

  inviteTitle: 'Invitar a alguien del equipo',
  inviteEmail: 'Su correo electrónico',
  inviteRole: 'Rol',
  inviteLanguage: 'Idioma de su consola',
  invite: 'Invitar',
  inviting: 'Invitando…',
  emailMissing: 'Escriba el correo electrónico de la persona.',

  handoverLinkTitle: (email) => `Enlace de un solo uso para ${email}`,
  handoverPasswordTitle: (email) => `Contraseña para ${email}`,
  shownOnce: 'Se muestra solo esta vez. Desaparece cuando salga de esta página y nadie puede volver a leerlo aquí.',
  handOverLink: (email, time) =>
    `Entregue este enlace personalmente a ${email}: en persona, por teléfono o en un mensaje privado, nunca en un canal compartido ni en un correo de grupo. Sirve una vez, hasta: ${time}.`,
  handOverPassword: (email) =>
    `Entregue esta contraseña personalmente a ${email}: en persona, por teléfono o en un mensaje privado, nunca en un canal compartido ni en un correo de grupo. La persona puede cambiarla en Mi configuración.`,
  linkLabel: 'Enlace de un solo uso',
  passwordLabel: 'Contraseña',
  copy: 'Copiar',
  copied: 'Copiado.',
  copyFailed: 'No se pudo copiar. Seleccione el texto y cópielo usted.',
  hide: 'Listo, ocultarlo',

  settingsTitle: 'Mi configuración',
  settingsIntro: (email) => `La configuración de su propia cuenta, ${email}. No cambia la de nadie más.`,
  languageTitle: 'Idioma',
  languageLegend: 'Idioma de la consola',
  saveLanguage: 'Guardar idioma',
  languageSaved: 'Idioma guardado.',
  alertsTitle: 'Avisos de nuevas solicitudes de llamada',
  alertsIntro: 'Mientras la consola está abierta en este equipo. Ambos están desactivados hasta que usted los active.',
  soundLabel: 'Reproducir un sonido con cada nueva solicitud de llamada',
  desktopLabel: 'Mostrar una notificación de escritorio',
  desktopHelp:
    'Solo dice «Nueva solicitud de llamada» y la urgencia: nunca un nombre, un número de teléfono ni una respuesta.',
  testSound: 'Reproducir un sonido de prueba',
  noSound: 'Este navegador no puede reproducir sonidos.',
  alertsSaved: (sound, desktop) =>
    `Avisos guardados: sonido ${sound ? 'activado' : 'desactivado'}, notificaciones de escritorio ${desktop ? 'activadas' : 'desactivadas'}.`,
  notificationsRefused:
    'El navegador no permitió las notificaciones, así que siguen desactivadas. Para activarlas, permita las notificaciones de este sitio en la configuración del navegador e intente de nuevo.',
  noNotifications: 'Este navegador no puede mostrar notificaciones de escritorio, así que siguen desactivadas.',
  notAllowedHere:
    'Las notificaciones de escritorio están activadas en su cuenta, pero este navegador no las ha permitido. Desmarque la casilla y márquela de nuevo para que se le pregunte.',
  passwordTitle: 'Cambiar su contraseña',
  currentPassword: 'Contraseña actual',
  newPassword: 'Contraseña nueva',
  confirmPassword: 'Contraseña nueva otra vez',
  passwordHelp: `Al menos ${PASSWORD_MIN} caracteres; unas cuantas palabras sin relación entre sí son una buena contraseña.`,
  changePassword: 'Cambiar contraseña',
  passwordChanged: 'Contraseña cambiada. Su sesión sigue abierta aquí; sus otras sesiones se cerraron.',
  currentMissing: 'Escriba su contraseña actual.',
  tooShort: `Use al menos ${PASSWORD_MIN} caracteres.`,
  mismatch: 'Las dos contraseñas nuevas no coinciden.',
  saving: 'Guardando…',

  linkChecking: 'Comprobando el enlace…',
  linkInviteTitle: 'Elija su contraseña',
  linkResetTitle: 'Elija una contraseña nueva',
  linkBadTitle: 'Este enlace no se puede usar',
  linkFor: (email, center) => `Elija una contraseña para ${email} en ${center}.`,
  linkUntil: (time) => `Este enlace sirve una vez, hasta: ${time}.`,
  setPassword: 'Guardar la contraseña e iniciar sesión',
  settingPassword: 'Iniciando sesión…',
  goToSignIn: 'Ir a iniciar sesión',

  cli: 'la línea de comandos del servidor',
  auditActions: {
    login: 'Inició sesión',
    'login.failed': 'Inicio de sesión fallido',
    logout: 'Cerró sesión',
    'inbox.view': 'Vio la bandeja',
    'lead.view': 'Abrió una solicitud',
    'lead.status': 'Cambió un estado',
    'lead.note': 'Agregó una nota',
    'lead.assign': 'Asignó una solicitud',
    'leads.export': 'Exportó solicitudes',
    'leads.export.unreadable': 'Exportó solicitudes que las claves no pudieron abrir',
    'keys.rotate': 'Volvió a cifrar los datos con una clave nueva',
    'leads.exported': 'Exportó solicitudes',
    'delivery.replay': 'Reintentó un envío',
    'staff.add': 'Agregó una cuenta',
    'staff.invite': 'Invitó a alguien del equipo',
    'staff.role': 'Cambió un rol',
    'staff.reset': 'Restableció una contraseña',
    'staff.unlock': 'Desbloqueó una cuenta',
    'staff.remove': 'Eliminó una cuenta',
    'staff.password': 'Cambió una contraseña',
    'staff.password_failed': 'Contraseña actual incorrecta',
    'staff.settings': 'Cambió su configuración',
    'staff.link_used': 'Usó un enlace de un solo uso',
  },
  auditFailures: (count) => (count === 1 ? '1 intento fallido' : `${count} intentos fallidos seguidos`),
  auditLocked: (time) => `bloqueada hasta: ${time}`,
  auditViews: { open: 'solicitudes abiertas', all: 'todas las solicitudes', mine: 'sus solicitudes' },
  auditFilter: (name, value) => `${name}: ${value}`,
  auditFilterNames: {
    status: 'estado',
    urgency: 'urgencia',
    route: 'ruta',
    locale: 'idioma',
    assignee: 'asignada a',
    from: 'desde',
    to: 'hasta',
  },
  auditSearched: 'una búsqueda',
  auditPage: (page) => `página ${page}`,
  auditShown: (shown, total) => `${shown} de ${total} solicitudes`,
  auditAssignedTo: (email) => `a ${email}`,
  auditNoOne: 'nadie',
  auditReassigned: (from, to) => `de ${from} a ${to}`,
  auditExport: (format, count, since) => {
    const head = count === null ? format : `${format}, ${count === 1 ? '1 solicitud' : `${count} solicitudes`}`;
    return since ? `${head} desde ${since}` : head;
  },
  auditDelivery: (id) => `envío ${id}`,
  auditHandover: { link: 'con enlace de un solo uso', password: 'con contraseña' },
  auditRole: (email, from, to) => `${email}: ${from} → ${to}`,
  leadsReturned: (count) =>
    count === 1 ? '1 solicitud quedó sin asignar' : `${count} solicitudes quedaron sin asignar`,
  auditLanguage: (language) => `idioma: ${language}`,
  auditAlerts: (sound, desktop) =>
    `sonido ${sound ? 'activado' : 'desactivado'}, notificaciones de escritorio ${desktop ? 'activadas' : 'desactivadas'}`,
  auditPurpose: { invite: 'una invitación', reset: 'un restablecimiento de contraseña' },

  deliveryTo: { webhook: 'Webhook a', email: 'Correo a' },
  deliveryOutcome: {
    pending: (attempts) =>
      attempts === 0
        ? 'Todavía no se envió.'
        : `Todavía no se envió: ${attempts === 1 ? '1 intento' : `${attempts} intentos`} hasta ahora.`,
    sending: () => 'Enviándose ahora.',
    delivered: () => 'Entregado.',
    dead: (attempts) => `No se envió: se abandonó tras ${attempts === 1 ? '1 intento' : `${attempts} intentos`}.`,
    skipped: () => 'No se envió: se omitió.',
  },
  skippedBecause: (reason) => `No se envió: se omitió porque ${reason}.`,
  deliveredAt: (time) => `Entregado: ${time}.`,
  nextAttempt: 'Próximo intento',

  exportIntro:
    'Las solicitudes del centro creadas desde el día que elija. El archivo contiene información de salud: guárdelo en un equipo de trabajo y bórrelo al terminar. Cada exportación queda en el registro de auditoría.',
  formatLegend: 'Formato',
  formats: { csv: 'CSV', json: 'JSON' },
  formatHelp: {
    csv: 'Para una hoja de cálculo: una fila por solicitud, cada respuesta en palabras y con su valor, luego la persona asignada, las notas y el historial de estados.',
    json: 'Para otro programa: un objeto por solicitud, con sus respuestas, notas e historial de estados como listas.',
  },
  download: (format) => `Descargar ${format}`,
};

export function accountsCopy(locale: Locale): AccountsCopy {
  return locale === 'es' ? es : en;
}

/** The words for a handover choice, for the reset and invite forms. */
export function handoverWords(w: AccountsCopy, handover: Handover): { label: string; help: string } {
  return handover === 'link'
    ? { label: w.handoverLink, help: w.handoverLinkHelp }
    : { label: w.handoverPassword, help: w.handoverPasswordHelp };
}
