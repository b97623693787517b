import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reference data: the 48 municipalities of the programme (SCB codes, from shared/domain/municipalities.csv),
 * themes, formats and accessibility features from DOMAIN.md, with Swedish and English names.
 * Later changes to reference data come as new migrations.
 */
export class ReferenceData1795719178222 implements MigrationInterface {
  name = 'ReferenceData1795719178222';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO "municipalities" ("code", "name", "county_code", "county_name") VALUES
      ('0305', 'Håbo', '03', 'Uppsala län'),
      ('0330', 'Knivsta', '03', 'Uppsala län'),
      ('0331', 'Heby', '03', 'Uppsala län'),
      ('0380', 'Uppsala', '03', 'Uppsala län'),
      ('0428', 'Vingåker', '04', 'Södermanlands län'),
      ('0461', 'Gnesta', '04', 'Södermanlands län'),
      ('0480', 'Nyköping', '04', 'Södermanlands län'),
      ('0481', 'Oxelösund', '04', 'Södermanlands län'),
      ('0482', 'Flen', '04', 'Södermanlands län'),
      ('0483', 'Katrineholm', '04', 'Södermanlands län'),
      ('0484', 'Eskilstuna', '04', 'Södermanlands län'),
      ('0486', 'Strängnäs', '04', 'Södermanlands län'),
      ('0488', 'Trosa', '04', 'Södermanlands län'),
      ('0509', 'Ödeshög', '05', 'Östergötlands län'),
      ('0512', 'Ydre', '05', 'Östergötlands län'),
      ('0513', 'Kinda', '05', 'Östergötlands län'),
      ('0560', 'Boxholm', '05', 'Östergötlands län'),
      ('0561', 'Åtvidaberg', '05', 'Östergötlands län'),
      ('0562', 'Finspång', '05', 'Östergötlands län'),
      ('0563', 'Valdemarsvik', '05', 'Östergötlands län'),
      ('0580', 'Linköping', '05', 'Östergötlands län'),
      ('0581', 'Norrköping', '05', 'Östergötlands län'),
      ('0582', 'Söderköping', '05', 'Östergötlands län'),
      ('0583', 'Motala', '05', 'Östergötlands län'),
      ('0584', 'Vadstena', '05', 'Östergötlands län'),
      ('0586', 'Mjölby', '05', 'Östergötlands län'),
      ('1814', 'Lekeberg', '18', 'Örebro län'),
      ('1860', 'Laxå', '18', 'Örebro län'),
      ('1861', 'Hallsberg', '18', 'Örebro län'),
      ('1862', 'Degerfors', '18', 'Örebro län'),
      ('1863', 'Hällefors', '18', 'Örebro län'),
      ('1864', 'Ljusnarsberg', '18', 'Örebro län'),
      ('1880', 'Örebro', '18', 'Örebro län'),
      ('1881', 'Kumla', '18', 'Örebro län'),
      ('1882', 'Askersund', '18', 'Örebro län'),
      ('1883', 'Karlskoga', '18', 'Örebro län'),
      ('1884', 'Nora', '18', 'Örebro län'),
      ('1885', 'Lindesberg', '18', 'Örebro län'),
      ('1904', 'Skinnskatteberg', '19', 'Västmanlands län'),
      ('1907', 'Surahammar', '19', 'Västmanlands län'),
      ('1960', 'Kungsör', '19', 'Västmanlands län'),
      ('1961', 'Hallstahammar', '19', 'Västmanlands län'),
      ('1962', 'Norberg', '19', 'Västmanlands län'),
      ('1980', 'Västerås', '19', 'Västmanlands län'),
      ('1981', 'Sala', '19', 'Västmanlands län'),
      ('1982', 'Fagersta', '19', 'Västmanlands län'),
      ('1983', 'Köping', '19', 'Västmanlands län'),
      ('1984', 'Arboga', '19', 'Västmanlands län')`);
    await queryRunner.query(`INSERT INTO "themes" ("code", "name_sv", "name_en", "sort_order") VALUES
      ('entrepreneurship', 'Entreprenörskap och verksamhetsutveckling', 'Entrepreneurship and business development', 1),
      ('public_procurement', 'Offentlig upphandling (LOU) och avtal med kommuner', 'Public procurement (LOU) and contracts with municipalities', 2),
      ('employer_role', 'Arbetsgivarrollen och arbetsrätt', 'The employer role and labour law', 3),
      ('finance_accounting', 'Ekonomi och redovisning', 'Finance and accounting', 4),
      ('quality_impact', 'Kvalitetsuppföljning och effektmätning', 'Quality follow-up and impact measurement', 5),
      ('leadership_board', 'Ledarskap och styrelsearbete', 'Leadership and board work', 6),
      ('gender_equality', 'Jämställdhet', 'Gender equality', 7),
      ('accessibility_inclusion', 'Tillgänglighet och inkludering av personer med funktionsnedsättning', 'Accessibility and disability inclusion', 8),
      ('digital_skills', 'Digital kompetens', 'Digital skills', 9),
      ('volunteers', 'Att arbeta med volontärer', 'Working with volunteers', 10),
      ('swedish_at_work', 'Svenska på arbetsplatsen', 'Swedish at work', 11),
      ('work_environment_health', 'Arbetsmiljö och hälsa', 'Work environment and health', 12),
      ('social_enterprise_methods', 'Metoder för sociala företag', 'Social enterprise methods', 13),
      ('local_partnerships', 'Lokala partnerskap med kommuner (IOP)', 'Local partnerships with municipalities', 14)`);
    await queryRunner.query(`INSERT INTO "formats" ("code", "name_sv", "name_en", "sort_order") VALUES
      ('study_circle', 'Studiecirkel', 'Study circle', 1),
      ('short_course', 'Kortkurs', 'Short course', 2),
      ('lecture_series', 'Föreläsningsserie', 'Lecture series', 3),
      ('study_visit', 'Studiebesök', 'Study visit', 4),
      ('team_series', 'Teamserie', 'Team series', 5),
      ('higher_ed_course', 'Högskolekurs', 'University course', 6),
      ('online_course', 'Distanskurs', 'Online course', 7)`);
    await queryRunner.query(`INSERT INTO "accessibility_features" ("code", "name_sv", "name_en", "category", "sort_order") VALUES
      ('step_free_access', 'Entré utan trappsteg', 'Step-free entrance', 'venue', 1),
      ('accessible_toilet', 'Tillgänglig toalett', 'Accessible toilet', 'venue', 2),
      ('parking_dropoff', 'Parkering eller avlämning nära entrén', 'Parking or drop-off near the entrance', 'venue', 3),
      ('induction_loop', 'Hörslinga', 'Induction loop', 'hearing', 4),
      ('speech_to_text', 'Skrivtolkning', 'Speech-to-text interpreting', 'hearing', 5),
      ('sign_language', 'Teckenspråkstolkning', 'Sign language interpreting', 'hearing', 6),
      ('captions', 'Textning vid distansmöten', 'Captions online', 'hearing', 7),
      ('audio_description', 'Syntolkning', 'Audio description', 'vision', 8),
      ('large_print', 'Material i storstil', 'Material in large print', 'vision', 9),
      ('braille', 'Material i punktskrift', 'Material in braille', 'vision', 10),
      ('daisy', 'Material som Daisy-talbok', 'Material as Daisy audio', 'vision', 11),
      ('sighted_guide', 'Ledsagning', 'Sighted guide', 'vision', 12),
      ('easy_to_read', 'Lättläst svenska', 'Easy-to-read Swedish', 'cognitive', 13),
      ('picture_support', 'Bildstöd', 'Picture support', 'cognitive', 14),
      ('regular_breaks', 'Regelbundna pauser', 'Regular breaks', 'cognitive', 15),
      ('scent_free', 'Doftfri miljö', 'Scent-free environment', 'other', 16),
      ('special_diets', 'Specialkost', 'Special diets', 'other', 17)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "accessibility_features"`);
    await queryRunner.query(`DELETE FROM "formats"`);
    await queryRunner.query(`DELETE FROM "themes"`);
    await queryRunner.query(`DELETE FROM "municipalities"`);
  }
}
