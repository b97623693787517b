/** The languages of the web front end: Swedish first, English by choice. */
export type Lang = 'sv' | 'en';

export const LANGS: readonly Lang[] = ['sv', 'en'];

type Texts = Record<string, unknown>;

const REGISTRY: Record<Lang, Record<string, Texts>> = { sv: {}, en: {} };

/**
 * Registers a namespace of page texts (in both languages, same keys) and answers them: templates
 * read them as `t.<namespace>.<key>`, code as the returned object. Each feature's pages define
 * their own namespace in their `pages/` folder.
 */
export function defineTexts<T extends Texts>(namespace: string, texts: { sv: T; en: T }): { sv: T; en: T } {
  REGISTRY.sv[namespace] = texts.sv;
  REGISTRY.en[namespace] = texts.en;
  return texts;
}

/** Every namespace's texts in one language (what a template sees as `t`). */
export function textsIn(lang: Lang): Record<string, Texts> {
  return REGISTRY[lang];
}

/** The texts every page shares: layout, forms, errors. */
export const COMMON = defineTexts('common', {
  sv: {
    serviceName: 'Kompetenslyft',
    skipLink: 'Hoppa till innehållet',
    navigation: 'Meny',
    start: 'Start',
    courses: 'Hitta kurs',
    myBookings: 'Mina bokningar',
    organisation: 'Organisation',
    myData: 'Mina uppgifter',
    coordination: 'Samordning',
    signIn: 'Logga in',
    signOut: 'Logga ut',
    signedInAs: 'Inloggad som',
    otherLanguage: 'In English',
    otherLanguageCode: 'en',
    footer: 'Kompetenslyft – kompetensutveckling för den sociala ekonomin i Östra Mellansverige.',
    errorSummary: 'Det finns ett problem',
    continue: 'Fortsätt',
    save: 'Spara',
    back: 'Tillbaka',
    cancel: 'Avbryt',
    yes: 'Ja',
    no: 'Nej',
    previous: 'Föregående',
    next: 'Nästa',
    pagination: 'Sidor',
    notGiven: 'Ej angivet',
    errors: {
      required: 'Fyll i {label}.',
      tooLong: '{label} får ha högst {max} tecken.',
      tooShort: '{label} måste ha minst {min} tecken.',
      email: 'Skriv en e-postadress i rätt format, till exempel namn@exempel.se.',
      choose: 'Välj {label}.',
      date: '{label} måste vara ett datum, till exempel 2027-03-01.',
      number: '{label} måste vara ett heltal mellan {min} och {max}.',
    },
    errorPages: {
      400: { title: 'Något stämmer inte', text: 'Sidan kunde inte visas med de uppgifter som skickades.' },
      401: { title: 'Du behöver logga in', text: 'Logga in för att se sidan.' },
      403: { title: 'Du har inte behörighet', text: 'Du har inte behörighet att se eller ändra det här.' },
      404: { title: 'Sidan finns inte', text: 'Kontrollera adressen. Om du klickade på en länk kan det du letar efter vara borttaget.' },
      409: { title: 'Det gick inte', text: 'Det du försökte göra går inte just nu.' },
      429: { title: 'För många försök', text: 'Vänta en stund och försök igen.' },
      500: { title: 'Något gick fel hos oss', text: 'Försök igen om en stund.' },
      csrf: { title: 'Formuläret har gått ut', text: 'Formuläret skickades inte, och inget har ändrats. Gå tillbaka, ladda om sidan och försök igen.' },
      requestId: 'Felkod',
      home: 'Till startsidan',
    },
  },
  en: {
    serviceName: 'Kompetenslyft',
    skipLink: 'Skip to main content',
    navigation: 'Menu',
    start: 'Home',
    courses: 'Find a course',
    myBookings: 'My bookings',
    organisation: 'Organisation',
    myData: 'My details',
    coordination: 'Coordination',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signedInAs: 'Signed in as',
    otherLanguage: 'På svenska',
    otherLanguageCode: 'sv',
    footer: 'Kompetenslyft – competence development for the social economy in Östra Mellansverige.',
    errorSummary: 'There is a problem',
    continue: 'Continue',
    save: 'Save',
    back: 'Back',
    cancel: 'Cancel',
    yes: 'Yes',
    no: 'No',
    previous: 'Previous',
    next: 'Next',
    pagination: 'Pages',
    notGiven: 'Not given',
    errors: {
      required: 'Enter {label}.',
      tooLong: '{label} must be {max} characters or fewer.',
      tooShort: '{label} must be at least {min} characters.',
      email: 'Enter an email address in the correct format, like name@example.com.',
      choose: 'Select {label}.',
      date: '{label} must be a date, for example 2027-03-01.',
      number: '{label} must be a whole number from {min} to {max}.',
    },
    errorPages: {
      400: { title: 'Something is not right', text: 'The page could not be shown with what was sent.' },
      401: { title: 'You need to sign in', text: 'Sign in to see this page.' },
      403: { title: 'You do not have access', text: 'You do not have permission to see or change this.' },
      404: { title: 'Page not found', text: 'Check the address. If you followed a link, what you are looking for may have been removed.' },
      409: { title: 'That did not work', text: 'What you tried to do is not possible right now.' },
      429: { title: 'Too many attempts', text: 'Wait a while and try again.' },
      500: { title: 'Something went wrong on our side', text: 'Try again in a while.' },
      csrf: { title: 'The form has expired', text: 'The form was not sent and nothing has changed. Go back, reload the page and try again.' },
      requestId: 'Error reference',
      home: 'Go to the start page',
    },
  },
});
