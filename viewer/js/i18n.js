// French and English. The language is the user's last choice, else the browser's.
const STRINGS = {
  fr: {
    appName: 'Relais', signInTitle: 'Connexion', user: 'Identifiant', password: 'Mot de passe', signIn: 'Se connecter',
    signOut: 'Se déconnecter', badCredentials: 'Identifiant ou mot de passe incorrect.',
    notForRole: 'Ce compte n\'a pas accès à la visionneuse des spécialistes.', language: 'English',
    queues: 'Files d\'attente', queue: 'File', waiting: 'en attente', oldest: 'plus ancien', noQueues: 'Aucune file pour ce compte.',
    cases: 'Demandes', noCases: 'Aucune demande en attente.', urgent: 'Urgent', routine: 'Normal', overdue: 'En retard',
    claim: 'Prendre en charge', release: 'Libérer', open: 'Ouvrir', claimedBy: 'Pris en charge par', you: 'vous',
    back: 'Retour', patient: 'Patient', born: 'né(e) le', sex: 'Sexe', unit: 'Unité', question: 'Question clinique',
    history: 'Antécédents', imageFailed: 'Image non affichée : {reason}', imageNotShown: 'Image non affichée.', notDisplayed: '⚠ Non affichée', imageUnreadable: 'le navigateur ne peut pas lire cette image', undisplayedConfirm: '{n} image(s) de ce cas n\'ont pas pu être affichées. Confirmez que votre compte rendu ne repose pas sur elles.', confirmSubmit: 'Confirmer et envoyer', bodySite: 'Localisation', sides: { L: 'gauche', R: 'droit(e)', B: 'bilatéral' }, priority: 'Priorité', state: 'État', received: 'Reçu',
    series: 'Séries', image: 'image', images: 'images', frames: 'images', compare: 'Comparer avec l\'examen précédent',
    noPrior: 'Pas d\'examen antérieur', prior: 'Examen antérieur', current: 'Examen actuel',
    zoomIn: 'Zoom +', zoomOut: 'Zoom −', fit: 'Ajuster', fullRes: 'Pleine résolution', invert: 'Inverser',
    play: 'Lecture', pause: 'Pause', prevFrame: 'Image précédente', nextFrame: 'Image suivante', speed: 'Vitesse',
    windowLevel: 'Fenêtrage', presets: 'Préréglages', presetDefault: 'Par défaut', presetWide: 'Large',
    presetNarrow: 'Étroit', presetBright: 'Plus clair', presetDark: 'Plus sombre', loading: 'Chargement…',
    report: 'Compte rendu', submit: 'Valider le compte rendu', requestInfo: 'Demander des informations',
    requestInfoPrompt: 'Quelle information demander à l\'unité ?', send: 'Envoyer', cancel: 'Annuler',
    required: 'Champ obligatoire', mustBeNumber: 'Doit être un nombre', atLeast: 'Au moins', atMost: 'Au plus',
    tooLong: 'Trop long (maximum {n} caractères)', badDate: 'Date attendue (AAAA-MM-JJ)',
    code: 'Code', meaning: 'Libellé', scheme: 'Système', draftSaved: 'Brouillon enregistré', draftRestored: 'Brouillon restauré',
    fixErrors: 'Corrigez les champs signalés.', reportSent: 'Compte rendu enregistré.', infoSent: 'Demande envoyée à l\'unité.',
    claimFirst: 'Prenez la demande en charge pour rédiger le compte rendu.', reported: 'Compte rendu déjà rendu.',
    shortcuts: 'Raccourcis : +/− zoom, 0 ajuster, I inverser, espace lecture, ←/→ image, C comparer, O infos, M règle, A surface, Échap fin de mesure, Suppr effacer les mesures, Ctrl+Entrée valider',
    ruler: 'Règle', area: 'Surface', clearMeasures: 'Effacer', rulerTitle: 'Mesurer une distance (glisser sur l\'image)',
    areaTitle: 'Mesurer une surface elliptique (glisser d\'un bord à l\'autre)', clearMeasuresTitle: 'Effacer les mesures',
    uncalibrated: 'non calibré', toReport: '→ compte rendu', toReportTitle: 'Reporter la mesure dans ce champ du compte rendu',
    measureCopied: '{value} reporté dans « {field} »',
    newImages: 'Nouvelles images', newImage: 'Nouvelle', infoRequest: 'Information demandée',
    infoAnswer: 'Réponse de l\'unité',
    askedBy: '{who}, {when}',
    overlay: 'Infos', overlayTitle: 'Afficher ou masquer les informations sur l\'image (O)', frame: 'Image', zoom: 'Zoom',
    anonymousPatient: 'Patient anonymisé', sentBy: 'Envoyé par', studyOf: 'Examen du {date}',
    error: 'Une erreur est survenue.', forbidden: 'Accès refusé.', notFound: 'Introuvable : cette page ou cette demande n\'existe pas (ou plus).',
    refused: 'Le serveur a refusé la demande.', conflict: 'La demande a changé entre-temps (prise en charge ou rendue par un autre compte).',
    hubFailed: 'Le serveur a rencontré une erreur ; réessayez.', unreachable: 'Serveur injoignable : vérifiez la connexion.', minutes: 'min', hours: 'h', days: 'j', ago: 'il y a {time}',
    states: { queued: 'En attente', claimed: 'Pris en charge', 'info-requested': 'Informations demandées', reported: 'Rendu', delivered: 'Transmis', amended: 'Amendé' },
    specialties: { dermatology: 'Dermatologie', 'obstetrics-gynaecology': 'Gynécologie-obstétrique', paediatrics: 'Pédiatrie',
      radiology: 'Radiologie', pneumology: 'Pneumologie', 'internal-medicine': 'Médecine interne', triage: 'Tri' },
  },
  en: {
    appName: 'Relais', signInTitle: 'Sign in', user: 'User name', password: 'Password', signIn: 'Sign in',
    signOut: 'Sign out', badCredentials: 'Wrong user name or password.',
    notForRole: 'This account has no access to the specialists\' viewer.', language: 'Français',
    queues: 'Queues', queue: 'Queue', waiting: 'waiting', oldest: 'oldest', noQueues: 'No queue for this account.',
    cases: 'Cases', noCases: 'No case waiting.', urgent: 'Urgent', routine: 'Routine', overdue: 'Overdue',
    claim: 'Claim', release: 'Release', open: 'Open', claimedBy: 'Claimed by', you: 'you',
    back: 'Back', patient: 'Patient', born: 'born', sex: 'Sex', unit: 'Unit', question: 'Clinical question',
    history: 'History', imageFailed: 'Image not displayed: {reason}', imageNotShown: 'Image not displayed.', notDisplayed: '⚠ Not displayed', imageUnreadable: 'the browser cannot read this image', undisplayedConfirm: '{n} image(s) of this case could not be displayed. Confirm that your report does not rest on them.', confirmSubmit: 'Confirm and submit', bodySite: 'Body site', sides: { L: 'left', R: 'right', B: 'both sides' }, priority: 'Priority', state: 'State', received: 'Received',
    series: 'Series', image: 'image', images: 'images', frames: 'frames', compare: 'Compare with prior case',
    noPrior: 'No prior case', prior: 'Prior case', current: 'Current case',
    zoomIn: 'Zoom in', zoomOut: 'Zoom out', fit: 'Fit', fullRes: 'Full resolution', invert: 'Invert',
    play: 'Play', pause: 'Pause', prevFrame: 'Previous frame', nextFrame: 'Next frame', speed: 'Speed',
    windowLevel: 'Window/level', presets: 'Presets', presetDefault: 'Default', presetWide: 'Wide',
    presetNarrow: 'Narrow', presetBright: 'Brighter', presetDark: 'Darker', loading: 'Loading…',
    report: 'Report', submit: 'Submit report', requestInfo: 'Request information',
    requestInfoPrompt: 'What should the unit tell you?', send: 'Send', cancel: 'Cancel',
    required: 'Required', mustBeNumber: 'Must be a number', atLeast: 'At least', atMost: 'At most',
    tooLong: 'Too long (at most {n} characters)', badDate: 'Expected a date (YYYY-MM-DD)',
    code: 'Code', meaning: 'Meaning', scheme: 'Scheme', draftSaved: 'Draft saved', draftRestored: 'Draft restored',
    fixErrors: 'Please fix the marked fields.', reportSent: 'Report stored.', infoSent: 'Request sent to the unit.',
    claimFirst: 'Claim the case to write its report.', reported: 'Already reported.',
    shortcuts: 'Shortcuts: +/− zoom, 0 fit, I invert, space play, ←/→ frame, C compare, O info, M ruler, A area, Esc stop measuring, Del clear measurements, Ctrl+Enter submit',
    ruler: 'Ruler', area: 'Area', clearMeasures: 'Clear', rulerTitle: 'Measure a distance (drag on the image)',
    areaTitle: 'Measure an elliptical area (drag from edge to edge)', clearMeasuresTitle: 'Clear the measurements',
    uncalibrated: 'uncalibrated', toReport: '→ report', toReportTitle: 'Put the measurement into this field of the report',
    measureCopied: '{value} put into “{field}”',
    newImages: 'New images', newImage: 'New', infoRequest: 'Information requested',
    infoAnswer: 'The unit\'s answer',
    askedBy: '{who}, {when}',
    overlay: 'Info', overlayTitle: 'Show or hide the information on the image (O)', frame: 'Frame', zoom: 'Zoom',
    anonymousPatient: 'Anonymised patient', sentBy: 'Sent by', studyOf: 'Study of {date}',
    error: 'Something went wrong.', forbidden: 'Access refused.', notFound: 'Not found: this page or case does not exist (any more).',
    refused: 'The hub refused the request.', conflict: 'The case has changed meanwhile (claimed or reported by another account).',
    hubFailed: 'The hub ran into an error; try again.', unreachable: 'The hub cannot be reached: check the connection.', minutes: 'min', hours: 'h', days: 'd', ago: '{time} ago',
    states: { queued: 'Queued', claimed: 'Claimed', 'info-requested': 'Information requested', reported: 'Reported', delivered: 'Delivered', amended: 'Amended' },
    specialties: { dermatology: 'Dermatology', 'obstetrics-gynaecology': 'Obstetrics and gynaecology',
      paediatrics: 'Paediatrics', radiology: 'Radiology', pneumology: 'Pneumology', 'internal-medicine': 'Internal medicine',
      triage: 'Triage' },
  },
};

let language = localStorage.getItem('relais.lang') ||
  ((navigator.language || 'fr').toLowerCase().startsWith('en') ? 'en' : 'fr');

export function lang() {
  return language;
}

export function setLang(value) {
  language = value === 'en' ? 'en' : 'fr';
  localStorage.setItem('relais.lang', language);
  document.documentElement.lang = language;
}

export function t(key, vars = {}) {
  let text = STRINGS[language][key] ?? STRINGS.fr[key] ?? key;
  if (typeof text === 'string') for (const [k, v] of Object.entries(vars)) text = text.replace(`{${k}}`, v);
  return text;
}

// A queue's name as the specialist says it; a queue the hub's rules added keeps its id.
export function specialtyName(queue) {
  return STRINGS[language].specialties[queue] ?? queue;
}

// A template label {"fr": ..., "en": ...} or a plain string.
export function label(value) {
  if (!value) return '';
  if (typeof value === 'string') return value;
  return value[language] || value.fr || value.en || Object.values(value)[0] || '';
}

// A request's body site with its side ("Forearm, gauche"): the side must show wherever the
// site does (a left lesion read as a right one is a clinical error). The site's words are the
// coding scheme's; the side is the reader's.
export function bodySiteWithSide(request) {
  if (!request) return '';
  const side = STRINGS[language].sides[request.laterality] || '';
  return [request.bodySite, side].filter(Boolean).join(', ');
}

export function stateName(state) {
  return STRINGS[language].states[state] || state;
}

// "il y a 3 h", "3 h ago": the word goes before the time in French, after it in English.
export function ago(iso, now = Date.now()) {
  const time = waited(iso, now);
  return time ? t('ago', { time }) : '';
}

// "3 h", "2 j", "25 min": how long a case has waited.
export function waited(iso, now = Date.now()) {
  const then = typeof iso === 'number' ? iso * 1000 : Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const minutes = Math.max(0, Math.round((now - then) / 60000));
  if (minutes < 60) return `${minutes} ${t('minutes')}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} ${t('hours')}`;
  return `${Math.round(hours / 24)} ${t('days')}`;
}

setLang(language);

// DICOM dates (DA, "19850312") as ISO dates ("1985-03-12"): eight digits in a row are hard to
// read, and day/month order differs between French and English readers.
export function dicomDate(da) {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da || '');
  return m ? `${m[1]}-${m[2]}-${m[3]}` : (da || '');
}

// DICOM person names: "Family^Given^Middle" -> "FAMILY Given Middle".
export function personName(pn) {
  if (!pn) return '';
  const [family, ...rest] = pn.split('^');
  return [family.toUpperCase(), ...rest].filter(Boolean).join(' ');
}

// Names that anonymisers and third-party systems put where no name is: nothing, bare
// separators, or a word saying so.
const NO_NAME = /^(patient )?(anonymi[sz]ed|anonymous|anonyme|anonymis[ée]e?|anon|unknown|inconnu|none|n\/a|x+|-+|\?+)( patient)?$/i;

export function isAnonymousName(pn) {
  const words = String(pn || '').replace(/[\^=]/g, ' ').trim();
  return words === '' || NO_NAME.test(words.replace(/\s+/g, ' '));
}

// The patient as a row or header names them: an anonymised study says so, never a blank.
export function patientName(patient) {
  const name = patient && patient.name;
  return isAnonymousName(name) ? t('anonymousPatient') : personName(name.trim());
}
