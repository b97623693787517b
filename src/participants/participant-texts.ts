/** What people are told about their identity number, in plain Swedish first (lättläst) and in English. */
export const IDENTITY_EXPLANATION = {
  sv: [
    'Du deltar i en utbildning som får pengar från Europeiska socialfonden (ESF+).',
    'Då måste vi varje månad lämna ditt personnummer eller samordningsnummer till Statistiska centralbyrån (SCB).',
    'SCB använder numret bara till statistik om vilka som deltar. Du behöver inte svara på frågor om din bakgrund.',
    'Vi sparar numret krypterat. Ingen kan se hela numret här, bara vi när vi skickar filen till SCB.',
    'Vi måste spara uppgifterna om ditt deltagande tills fem år efter att projektet fått sin sista betalning. Sedan tar vi bort dem.',
    'Din arbetsgivare kan också skriva in numret åt dig.',
  ].join(' '),
  en: [
    'You take part in training funded by the European Social Fund (ESF+).',
    'Each month we must give your personal identity number or coordination number to Statistics Sweden (SCB).',
    'SCB uses the number only for statistics about who takes part. You do not need to answer questions about your background.',
    'We store the number encrypted. Nobody can see the whole number here; only the file we send to SCB contains it.',
    'We must keep the record of your participation until five years after the project\'s final payment. Then we delete it.',
    'Your employer may also enter the number for you.',
  ].join(' '),
};
