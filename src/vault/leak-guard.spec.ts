import { findIdentifyingText, NAMES_THAT_ARE_WORDS, proposeRewording, type IdentityHints, type LeakKind } from './leak-guard.js';

const person: IdentityHints = {
  lastName: 'Lefèvre-Dupont',
  firstName: 'Anaïs',
  birthDate: '1957-03-14',
  address: '12 bis, rue Victor-Hugo 69003 Lyon',
  phone: '06 12 34 56 78',
  email: 'Anais.LD@exemple.fr',
};

function kind(text: string, identity: IdentityHints = person): LeakKind | undefined {
  return findIdentifyingText(text, identity)?.kind;
}

describe('findIdentifyingText', () => {
  it.each([
    ['Mme LEFEVRE-DUPONT est suivie au CMP', 'name'],
    ['Mme lefevre dupont est suivie au CMP', 'name'],
    ['Mme Lefèvre Dupont', 'name'],
    ['Rencontre avec Mme Dupont hier', 'name'],
    ['lefevredupont', 'name'],
    ['ANAIS refuse les visites', 'name'],
    ['anaïs refuse les visites', 'name'],
  ] as const)('finds the name in %j', (text, expected) => {
    expect(kind(text)).toBe(expected);
  });

  it.each([
    'Née le 14/03/1957',
    'née le 14-03-1957',
    'née le 14.03.1957',
    'née le 14/03/57',
    'née le 14 / 3 / 1957',
    'date de naissance : 1957-03-14',
    'née le 14 mars 1957',
    'née le 14 MARS 57',
    'née le 14 mars, 1957'.replace(',', ''),
  ])('finds the birth date in %j', (text) => {
    expect(kind(text)).toBe('birth_date');
  });

  it('finds "1er mars 1957" for a person born on the first', () => {
    expect(kind('née le 1er mars 1957', { birthDate: '1957-03-01' })).toBe('birth_date');
    expect(kind('née le 1ᵉʳ mars 1957', { birthDate: '1957-03-01' })).toBe('birth_date');
    expect(kind('née le 01/03/1957', { birthDate: '1957-03-01' })).toBe('birth_date');
  });

  it.each([
    'joignable au 06.12.34.56.78',
    'joignable au 06 12 34 56 78',
    'joignable au 06-12-34-56-78',
    'joignable au 0612345678',
    'joignable au +33 6 12 34 56 78',
    'joignable au +33 (0)6 12 34 56 78',
    'joignable au 0033612345678',
  ])('finds the phone in %j', (text) => {
    expect(kind(text)).toBe('phone');
    // Also through the generic pattern, for a text about someone else.
    expect(kind(text, {})).toBe('phone');
  });

  it('finds the own phone even in an unusual grouping', () => {
    expect(kind('tel 061 234 5678')).toBe('phone');
  });

  it('finds emails, the own one and any other', () => {
    expect(kind('écrire à anais.ld@exemple.fr')).toBe('email');
    expect(kind('contact : j.martin@mairie-exemple.fr', {})).toBe('email');
    expect(kind('contact : j.martin [at] mairie.fr', {})).toBe('email');
  });

  it('finds the street address (number and street name)', () => {
    expect(kind('habite au 12 rue Victor Hugo')).toBe('address');
    expect(kind('habite au 12bis, r. Victor-Hugo')).toBe('address');
    expect(kind('habite au 12 Victor Hugo')).toBe('address');
    expect(
      kind('habite au 12 avenue des Lilas', {
        address: '12, avenue des Lilas',
      }),
    ).toBe('address');
  });

  it.each(['1 57 03 75 123 456 78', '1570375123456', '157037512345678', '2 84 12 2A 004 123', '7 01 02 99 123 456 12', 'NIR 1.57.03.75.123.456.78'])(
    'finds a NIR in %j',
    (text) => {
      expect(kind(text, {})).toBe('nir');
    },
  );

  it.each([
    'Suivie au CMP depuis 2019, deux hospitalisations en 2021 et 2022.',
    'Femme de 67 ans, 3 enfants, vit seule.',
    'Dette locative de 1 200 € ; loyer 450,50 €.',
    'Prochain rendez-vous le 12 mars, puis le 14 mars.',
    'Rendez-vous le 14/03 à 10 h 30.',
    'Rendez-vous le 14/03/2024 au CCAS.',
    'Née en 1957, quartier des Pentes.',
    'Montant de 12 345 678 € au budget 2024.',
    'Dossier CAS-2026-0042 présenté en séance du 14/03/2026.',
    'Le bailleur demande une visite à domicile ; elle a vu le médecin.',
    'Les enfants (3, 5 et 12 ans) sont scolarisés ; 2 rue à traverser.',
    'Orientation vers la CRIP ; suivi +3 mois.',
    '',
  ])('stays silent on ordinary text %j', (text) => {
    expect(findIdentifyingText(text, person)).toBeNull();
  });

  it('ignores first names of two letters or fewer, and needs context for two-letter last names', () => {
    expect(kind('Al est parti', { firstName: 'Al' })).toBeUndefined();
    expect(kind('elle a vu le médecin', { lastName: 'Vu', firstName: 'Linh' })).toBeUndefined();
    expect(kind('Mme Vu a vu le médecin', { lastName: 'Vu', firstName: 'Linh' })).toBe('name');
  });

  it('returns only the kind, never the matched text', () => {
    const hit = findIdentifyingText('Mme Lefèvre-Dupont, 06 12 34 56 78', person);
    expect(hit).toEqual({ kind: 'phone' });
    expect(JSON.stringify(findIdentifyingText('Mme Lefèvre-Dupont', person))).toBe('{"kind":"name"}');
  });

  describe('names that are ordinary words (issue 12)', () => {
    const petit: IdentityHints = { lastName: 'Petit', firstName: 'Claire' };

    it.each([
      'Elle vit dans un petit studio au troisième étage.',
      'Un petit-fils passe le dimanche ; la situation est claire pour le bailleur.',
      'La pièce est claire mais encombrée, le petit chien aboie.',
      'PETIT À PETIT le lien se renoue'.toLowerCase(),
      'Il a offert une rose à sa voisine.',
    ])('lets %j pass for Mme Claire Petit, Rose Blanc', (text) => {
      expect(findIdentifyingText(text, petit)).toBeNull();
      expect(findIdentifyingText(text, { lastName: 'Blanc', firstName: 'Rose' })).toBeNull();
    });

    it.each([
      ['Mme Petit refuse les visites', 'after a title'],
      ['mme petit refuse les visites', 'after a title, in lower case'],
      ['Rencontre avec Petit au CCAS', 'capitalised'],
      ['claire petit a refusé', 'beside the first name'],
      ['Claire a refusé la visite', 'the first name, capitalised'],
      ['Madame claire est inquiète', 'the first name after a title'],
    ])('finds %j (%s)', (text) => {
      expect(kind(text, petit)).toBe('name');
    });

    it('counts a capital even at the start of a sentence (the guard errs on the side of the person)', () => {
      expect(kind('Petit à petit, le lien se renoue.', petit)).toBe('name');
      expect(proposeRewording('Petit à petit, le lien se renoue.', petit)).toBe('X à petit, le lien se renoue.');
    });

    it('applies to each part of a compound last name, and leaves other names as they were', () => {
      expect(kind('un petit logement', { lastName: 'Lefèvre-Petit', firstName: 'Anaïs' })).toBeUndefined();
      expect(kind('M. Petit est absent', { lastName: 'Lefèvre-Petit', firstName: 'Anaïs' })).toBe('name');
      // A name that is no word is found whatever its case.
      expect(kind('rencontre avec quatremare', { lastName: 'Quatremare' })).toBe('name');
      expect(NAMES_THAT_ARE_WORDS.has('quatremare')).toBe(false);
    });
  });

  describe('proposeRewording (issue 12)', () => {
    it('replaces the name, first and last together, and keeps the rest as written', () => {
      expect(proposeRewording('Mme Claire Petit vit dans un petit studio', { lastName: 'Petit', firstName: 'Claire' })).toBe('Mme X vit dans un petit studio');
      expect(proposeRewording('Mme Lefèvre-Dupont refuse ; Anaïs accepte le CMP', person)).toBe('Mme X refuse ; X accepte le CMP');
      expect(proposeRewording('RDV avec Mme DUPONT', person)).toBe('RDV avec Mme X');
    });

    it('replaces the birth date, the phone, the email, the address and a NIR by a bracketed word', () => {
      expect(proposeRewording('née le 14 mars 1957, tél. 06 12 34 56 78, anais.ld@exemple.fr, au 12 rue Victor Hugo', person)).toBe(
        'née le [date de naissance], tél. [téléphone], [courriel], au [adresse]',
      );
      expect(proposeRewording('NIR 1 57 03 75 123 456 78 à vérifier', {})).toBe('NIR [NIR] à vérifier');
    });

    it('keeps accents and characters around the replaced words (offsets in the original text)', () => {
      expect(proposeRewording('Œuvre : Mme Anaïs ﬁnit ses démarches', person)).toBe('Œuvre : Mme X ﬁnit ses démarches');
    });

    it('replaces only what the identity it is given holds: with no identity, the generic patterns', () => {
      expect(proposeRewording('Mme Dupont, 06 12 34 56 78', {})).toBe('Mme Dupont, [téléphone]');
      expect(proposeRewording('Rien à signaler', person)).toBeNull();
    });
  });
});
