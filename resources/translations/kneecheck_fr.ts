<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AccessDialog</name>
    <message>
        <location filename="../../ui/access_dialog.py" line="+34"/>
        <source>View</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print</source>
        <translation>Impression</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change</source>
        <translation>Modification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit list</source>
        <translation>Journal d&apos;accès</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+12"/>
        <source>Who saw this patient</source>
        <translation>Qui a accédé à ce dossier</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>{name}, MRN {mrn}: {n} audit rows (views, prints, exports and changes), oldest first</source>
        <translation>{name}, IPP {mrn}&#xa0;: {n} lignes d&apos;audit (affichages, impressions, exports et modifications), de la plus ancienne à la plus récente</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>One audit row per line: when, who, where and what</source>
        <translation>Une ligne d&apos;audit par ligne&#xa0;: quand, qui, où et quoi</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export &amp;CSV…</source>
        <translation>Exporter en &amp;CSV…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export CSV</source>
        <translation>Exporter en CSV</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export who saw this patient</source>
        <translation>Exporter les accès à ce dossier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Written: {path}</source>
        <translation>Écrit&#xa0;: {path}</translation>
    </message>
</context>
<context>
    <name>Accessibility</name>
    <message>
        <location filename="../../ui/accessibility.py" line="+31"/>
        <source>{name} choices</source>
        <translation>Choix&#xa0;: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choices</source>
        <translation>Choix</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="+130"/>
        <source>the database was not ready within {s:g} s</source>
        <translation>la base de données n&apos;était pas prête au bout de {s:g} s</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the log file cannot be written ({reason})</source>
        <translation>le fichier journal ne peut pas être écrit ({reason})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{problem}. KneeCheck needs to write there; ask IT to make it writable.</source>
        <translation>{problem}. KneeCheck doit pouvoir y écrire&#xa0;; demandez au service informatique d&apos;en autoriser l&apos;écriture.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unexpected {kind}; details are in {log}</source>
        <translation>erreur inattendue ({kind})&#xa0;; détails dans {log}</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>KneeCheck cannot start</source>
        <translation>KneeCheck ne peut pas démarrer</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>unexpected {kind}; details are in the log</source>
        <translation>erreur inattendue ({kind})&#xa0;; détails dans le journal</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot open the database</source>
        <translation>Impossible d&apos;ouvrir la base de données</translation>
    </message>
</context>
<context>
    <name>AssessmentPanel</name>
    <message>
        <location filename="../../ui/assessment_panel.py" line="+81"/>
        <source>Finding</source>
        <translation>Élément</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Answer</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Counts towards</source>
        <translation>Compte pour</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>Points</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Live assessment</source>
        <translation>Évaluation en direct</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Prompt</source>
        <translation>Rappel</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+6"/>
        <source>Contributing findings</source>
        <translation>Éléments contributifs</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+3"/>
        <source>Next steps</source>
        <translation>Conduite à tenir</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Urgency: {urgency}</source>
        <translation>Niveau d&apos;urgence&#xa0;: {urgency}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Routine</source>
        <translation>Non urgent</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../../ui/follow_up_view.py" line="+143"/>
        <source>Direction</source>
        <translation>Orientation</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Why: {reason}</source>
        <translation>Motif&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{target} score</source>
        <translation>Score {target}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Key items missing: {items}</source>
        <translation>Items clés manquants&#xa0;: {items}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All four key items assessed.</source>
        <translation>Les quatre items clés sont évalués.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nerve levels: {levels}</source>
        <translation>Niveaux radiculaires&#xa0;: {levels}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nerve levels: none indicated</source>
        <translation>Niveaux radiculaires&#xa0;: aucun</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rule set {ruleset}</source>
        <translation>Règles {ruleset}</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>{tier} alert</source>
        <translation>Alerte {tier}</translation>
    </message>
    <message>
        <location filename="../../ui/follow_up_view.py" line="-106"/>
        <source>Scores over the visits</source>
        <translation>Scores au fil des consultations</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Since the visit of {date}</source>
        <translation>Depuis la consultation du {date}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Red flags present last time, not asked yet: {flags}</source>
        <translation>Drapeaux rouges présents la dernière fois, pas encore recherchés&#xa0;: {flags}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No finding changed so far.</source>
        <translation>Aucun élément modifié pour l&apos;instant.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No finding changed.</source>
        <translation>Aucun élément modifié.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recorded last time, not yet this time: {items}</source>
        <translation>Relevés la dernière fois, pas encore cette fois&#xa0;: {items}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(then → so far)</source>
        <translation>(avant → pour l&apos;instant)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>(then → now)</source>
        <translation>(avant → maintenant)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urgency</source>
        <translation>Urgence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scores</source>
        <translation>Scores</translation>
    </message>
    <message>
        <location filename="../../ui/leg_map_view.py" line="+41"/>
        <source>Leg map</source>
        <translation>Carte du membre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click a dermatome to record it as the dermatomal deficit</source>
        <translation>Cliquez sur un dermatome pour l&apos;enregistrer comme déficit dermatomique</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Leg map ({leg})</source>
        <translation>Carte du membre ({leg})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Leg map: {what}</source>
        <translation>Carte du membre&#xa0;: {what}</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../ui/dialogs.py" line="+51"/>
        <source>Amend encounter</source>
        <translation>Rectifier la consultation</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reason for the amendment</source>
        <translation>Motif de la rectification</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Reason for the amendment (required; printed on the summary):</source>
        <translation>&amp;Motif de la rectification (obligatoire&#xa0;; imprimé sur la synthèse)&#xa0;:</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saved elsewhere in the meantime</source>
        <translation>Enregistré ailleurs entre-temps</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This patient&apos;s details were changed and saved on another workstation after you opened them. Nothing has been overwritten. The differences:</source>
        <translation>Les données de ce patient ont été modifiées et enregistrées sur un autre poste après leur ouverture ici. Rien n&apos;a été écrasé. Les différences&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This encounter was changed and saved on another workstation after you opened it. Nothing has been overwritten. The differences:</source>
        <translation>Cette consultation a été modifiée et enregistrée sur un autre poste après son ouverture ici. Rien n&apos;a été écrasé. Les différences&#xa0;:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Differences between the stored version and yours</source>
        <translation>Différences entre la version enregistrée et la vôtre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stored (other workstation)</source>
        <translation>Enregistré (autre poste)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Yours (this window)</source>
        <translation>Vôtre (cette fenêtre)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Keep mine (save on top)</source>
        <translation>&amp;Garder la mienne (écraser)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reload theirs</source>
        <translation>&amp;Recharger l&apos;autre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decide &amp;later</source>
        <translation>Décider &amp;plus tard</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Not assessed</source>
        <translation>Non évalué</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. urn:oid:1.2.3 (empty: $KNEECHECK_MRN_SYSTEM, else urn:kneecheck:mrn)</source>
        <translation>p. ex. urn:oid:1.2.3 (vide&#xa0;: $KNEECHECK_MRN_SYSTEM, sinon urn:kneecheck:mrn)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HL7 sending facility (empty: $KNEECHECK_FACILITY, else KNEECHECK)</source>
        <translation>Établissement émetteur HL7 (vide&#xa0;: $KNEECHECK_FACILITY, sinon KNEECHECK)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HOST:PORT of the record system (empty: no sending)</source>
        <translation>HÔTE:PORT du logiciel de dossier patient (vide&#xa0;: pas d&apos;envoi)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A key that answers an item moves to the next item</source>
        <translation>Une touche qui répond à un item passe à l&apos;item suivant</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>System language ({language})</source>
        <translation>Langue du système ({language})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The window&apos;s language from the next start of KneeCheck; summaries are printed in it unless another is chosen</source>
        <translation>La langue de la fenêtre à partir du prochain démarrage de KneeCheck&#xa0;; les synthèses sont imprimées dans cette langue, sauf si une autre est choisie</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Clinic &amp;name</source>
        <translation>&amp;Nom de la structure</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clinic &amp;address</source>
        <translation>&amp;Adresse de la structure</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default &amp;clinician</source>
        <translation>&amp;Clinicien par défaut</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Paper size</source>
        <translation>Format du &amp;papier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Lock after no use for</source>
        <translation>&amp;Verrouiller après inactivité de</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;MRN identifier system (FHIR)</source>
        <translation>Système d&apos;identifiant &amp;IPP (FHIR)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HL7 &amp;facility</source>
        <translation>É&amp;tablissement HL7</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send records &amp;to (MLLP)</source>
        <translation>&amp;Destinataire des envois (MLLP)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;hecklist</source>
        <translation>&amp;Grille d&apos;examen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lan&amp;guage (from the next start)</source>
        <translation>&amp;Langue (au prochain démarrage)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stored on this workstation only; no patient data is kept in settings.</source>
        <translation>Enregistré sur ce poste uniquement&#xa0;; aucune donnée patient n&apos;est conservée dans les paramètres.</translation>
    </message>
</context>
<context>
    <name>EncounterEditor</name>
    <message>
        <location filename="../../ui/answer_controls.py" line="+132"/>
        <location line="+37"/>
        <location line="+65"/>
        <source>Not assessed</source>
        <translation>Non évalué</translation>
    </message>
    <message>
        <location filename="../../ui/encounter_editor.py" line="+113"/>
        <source>Hip screen call-out</source>
        <translation>Encadré examen de la hanche</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Key items (answer these four first)</source>
        <translation>Items clés (répondez d&apos;abord à ces quatre)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{section}. Red flags (always check)</source>
        <translation>{section}. Drapeaux rouges (toujours rechercher)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Checklist</source>
        <translation>Grille d&apos;examen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Red flags</source>
        <translation>Drapeaux rouges</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{label} (key item)</source>
        <translation>{label} (item clé)</translation>
    </message>
    <message>
        <location line="+182"/>
        <source>{note} Answers kept although it does not apply now; they do not count. Set them to Not assessed if they do not apply.</source>
        <translation>{note} Réponses conservées bien que non applicables maintenant&#xa0;; elles ne comptent pas. Mettez-les à «&#xa0;Non évalué&#xa0;» si elles ne s&apos;appliquent pas.</translation>
    </message>
</context>
<context>
    <name>EncounterSession</name>
    <message>
        <location filename="../../ui/encounter_session.py" line="+305"/>
        <source>it is finalized and read-only; amend it instead</source>
        <translation>elle est finalisée et en lecture seule&#xa0;; rectifiez-la plutôt</translation>
    </message>
    <message>
        <location line="+129"/>
        <location line="+55"/>
        <source>the encounter was changed elsewhere</source>
        <translation>la consultation a été modifiée ailleurs</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>encounter {number}</source>
        <translation>la consultation {number}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the new draft of the earlier patient</source>
        <translation>le nouveau brouillon du patient précédent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it was changed on another workstation meanwhile</source>
        <translation>elle a été modifiée entre-temps sur un autre poste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the last save of {which} was not stored ({why}); open it to redo those entries</source>
        <translation>le dernier enregistrement n&apos;a pas été conservé pour {which} ({why})&#xa0;; rouvrez cette consultation pour refaire ces saisies</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>it was finalized on another workstation; amend it instead</source>
        <translation>elle a été finalisée sur un autre poste&#xa0;; rectifiez-la plutôt</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Finalize was not done: the window was locked. Finalize again</source>
        <translation>La finalisation n&apos;a pas été faite&#xa0;: la fenêtre a été verrouillée. Finalisez à nouveau</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>the amendment was stored as draft {number}; open it from the list</source>
        <translation>la rectification a été enregistrée comme brouillon {number}&#xa0;; ouvrez-la depuis la liste</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../../ui/help.py" line="+30"/>
        <source>Qt for Python: the window</source>
        <translation>Qt for Python&#xa0;: la fenêtre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt PDF: the summary preview</source>
        <translation>Qt PDF&#xa0;: l&apos;aperçu de la synthèse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt for Python bindings</source>
        <translation>liaisons Qt for Python</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>database access</source>
        <translation>accès à la base de données</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>database migrations</source>
        <translation>migrations de la base de données</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PostgreSQL driver</source>
        <translation>pilote PostgreSQL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the printed summary</source>
        <translation>la synthèse imprimée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>archival PDF/A summaries</source>
        <translation>synthèses PDF/A d&apos;archivage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>password hashing</source>
        <translation>hachage des mots de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>where files are kept</source>
        <translation>emplacement des fichiers</translation>
    </message>
    <message>
        <location line="+39"/>
        <source> or </source>
        <translation> ou </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>see {file}</source>
        <translation>voir {file}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>not stated in its metadata</source>
        <translation>non indiqué dans ses métadonnées</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{app} {version}</source>
        <translation>{app} {version}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rule set: {ruleset}</source>
        <translation>Règles&#xa0;: {ruleset}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decision support, not a diagnosis.</source>
        <translation>Aide à la décision, pas un diagnostic.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bundled fonts:</source>
        <translation>Polices fournies&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Libraries (Qt {qt} is bundled in the PySide6 packages, under their licence):</source>
        <translation>Bibliothèques (Qt {qt} est fourni dans les paquets PySide6, sous leur licence)&#xa0;:</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+10"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+7"/>
        <source>About KneeCheck</source>
        <translation>À propos de KneeCheck</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/actions.py" line="+35"/>
        <source>&amp;Find patient</source>
        <translation>&amp;Rechercher un patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/work_area.py" line="+193"/>
        <source>New &amp;patient…</source>
        <translation>&amp;Nouveau patient…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Lock now</source>
        <translation>&amp;Verrouiller</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/work_area.py" line="+20"/>
        <source>&amp;New encounter</source>
        <translation>&amp;Nouvelle consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Finalize…</source>
        <translation>&amp;Finaliser…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Amend…</source>
        <translation>&amp;Rectifier…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pre&amp;view summary</source>
        <translation>A&amp;perçu de la synthèse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Print summary…</source>
        <translation>&amp;Imprimer la synthèse…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export…</source>
        <translation>E&amp;xporter…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sen&amp;d to record system</source>
        <translation>Envoyer au &amp;dossier patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;checklist</source>
        <translation>Aller à la &amp;grille d&apos;examen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;red flags</source>
        <translation>Aller aux &amp;drapeaux rouges</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;notes</source>
        <translation>Aller aux &amp;notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Go to finding…</source>
        <translation>Aller à un élé&amp;ment…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Red flags not asked &amp;yet: No…</source>
        <translation>Drapeaux rouges non recherchés&#xa0;: &amp;tous à «&#xa0;Non&#xa0;»…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo the last answer given by key</source>
        <translation>&amp;Annuler la dernière réponse donnée au clavier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign &amp;out / switch clinician…</source>
        <translation>&amp;Déconnexion / changer de clinicien…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About KneeCheck</source>
        <translation>À &amp;propos de KneeCheck</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Who saw this patient…</source>
        <translation>&amp;Qui a accédé à ce dossier…</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Encounter</source>
        <translation>&amp;Consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Go</source>
        <translation>A&amp;ller</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/work_area.py" line="+44"/>
        <location line="+59"/>
        <source>Encounter</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Export the encounter: PDF/A summary, FHIR R4 Bundle or HL7 v2 message</source>
        <translation>Exporter la consultation&#xa0;: synthèse PDF/A, Bundle FHIR R4 ou message HL7 v2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Summary &amp;language</source>
        <translation>&amp;Langue de la synthèse</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>As the window ({language})</source>
        <translation>Comme la fenêtre ({language})</translation>
    </message>
    <message>
        <location filename="../../ui/asking.py" line="+98"/>
        <source>{what} was not done: the window was locked.</source>
        <translation>«&#xa0;{what}&#xa0;» n&apos;a pas été fait&#xa0;: la fenêtre a été verrouillée.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The patient&apos;s details were not shown: the window was locked.</source>
        <translation>Les données du patient n&apos;ont pas été affichées&#xa0;: la fenêtre a été verrouillée.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Amend was not done: the window was locked.</source>
        <translation>La rectification n&apos;a pas été faite&#xa0;: la fenêtre a été verrouillée.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A conflict with another workstation waits: the window was locked.</source>
        <translation>Un conflit avec un autre poste est en attente&#xa0;: la fenêtre a été verrouillée.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Settings were not changed: the window was locked.</source>
        <translation>Les paramètres n&apos;ont pas été modifiés&#xa0;: la fenêtre a été verrouillée.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../../ui/summary_controller.py" line="+162"/>
        <source>Print was not done: the window was locked. Print again.</source>
        <translation>L&apos;impression n&apos;a pas été faite&#xa0;: la fenêtre a été verrouillée. Relancez l&apos;impression.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Go to finding was not done: the window was locked.</source>
        <translation>«&#xa0;Aller à un élément&#xa0;» n&apos;a pas été fait&#xa0;: la fenêtre a été verrouillée.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Go to finding</source>
        <translation>Aller à un élément</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finding (type part of its name):</source>
        <translation>Élément (tapez une partie de son nom)&#xa0;:</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../../ui/summary_controller.py" line="+87"/>
        <source>Export was not done: the window was locked. Export again.</source>
        <translation>L&apos;export n&apos;a pas été fait&#xa0;: la fenêtre a été verrouillée. Relancez l&apos;export.</translation>
    </message>
    <message>
        <location filename="../../ui/encounter_view.py" line="+44"/>
        <source>Saved at {time}</source>
        <translation>Enregistré à {time}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved automatically at {time}</source>
        <translation>Enregistré automatiquement à {time}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved on top of the other workstation&apos;s version at {time}</source>
        <translation>Enregistré par-dessus la version de l&apos;autre poste à {time}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finalized</source>
        <translation>Finalisée</translation>
    </message>
    <message>
        <location line="+193"/>
        <source>No encounter open</source>
        <translation>Aucune consultation ouverte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New draft, not saved yet</source>
        <translation>Nouveau brouillon, pas encore enregistré</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>FINAL, read-only: signed by {who} on {when}</source>
        <translation>DÉFINITIVE, lecture seule&#xa0;: signée par {who} le {when}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Superseded by amendment {number}</source>
        <translation>Remplacée par la rectification {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DRAFT {number}, version {version}</source>
        <translation>BROUILLON {number}, version {version}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Amends encounter {number}: {reason}</source>
        <translation>Rectifie la consultation {number}&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>saving…</source>
        <translation>enregistrement…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unsaved changes</source>
        <translation>modifications non enregistrées</translation>
    </message>
    <message>
        <location line="+48"/>
        <location filename="../../ui/main_window.py" line="+462"/>
        <source>Waiting for the save to finish…</source>
        <translation>Attente de la fin de l&apos;enregistrement…</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>{n} red flag(s) recorded as No</source>
        <translation>{n} drapeau(x) rouge(s) enregistré(s) à «&#xa0;Non&#xa0;»</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Amendment opened as a new draft; the original is kept</source>
        <translation>Rectification ouverte comme nouveau brouillon&#xa0;; l&apos;original est conservé</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Not assessed</source>
        <translation>Non évalué</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{item}: {answer} (Ctrl+Z undoes)</source>
        <translation>{item}&#xa0;: {answer} (Ctrl+Z pour annuler)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No answer to undo</source>
        <translation>Aucune réponse à annuler</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>choose the knee (left, right or both)</source>
        <translation>choisissez le genou (gauche, droit ou les deux)</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Not saved: the encounter was changed elsewhere. Save (Ctrl+S) to decide.</source>
        <translation>Non enregistré&#xa0;: la consultation a été modifiée ailleurs. Enregistrez (Ctrl+S) pour décider.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not saved: the database cannot be reached. Your entries are kept here; KneeCheck tries again at {time} (or press Ctrl+S).</source>
        <translation>Non enregistré&#xa0;: la base de données est injoignable. Vos saisies sont conservées ici&#xa0;; KneeCheck réessaie à {time} (ou appuyez sur Ctrl+S).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the database cannot be reached (details are in the log); your entries are kept and saved when it answers</source>
        <translation>la base de données est injoignable (détails dans le journal)&#xa0;; vos saisies sont conservées et seront enregistrées dès qu&apos;elle répondra</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not saved yet: {reason}</source>
        <translation>Pas encore enregistré&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Automatic save failed: {reason}</source>
        <translation>Échec de l&apos;enregistrement automatique&#xa0;: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="+86"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Another workstation has just created the first account; sign in.</source>
        <translation>Un autre poste vient de créer le premier compte&#xa0;; connectez-vous.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>KneeCheck — {name}</source>
        <translation>KneeCheck — {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed in: {name}</source>
        <translation>Connecté&#xa0;: {name}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>KneeCheck — locked</source>
        <translation>KneeCheck — verrouillé</translation>
    </message>
    <message>
        <location line="+22"/>
        <location filename="../../ui/main_window.py" line="-370"/>
        <source>KneeCheck</source>
        <translation>KneeCheck</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The name or the password is not right; try again in {seconds} s</source>
        <translation>Le nom ou le mot de passe est incorrect&#xa0;; réessayez dans {seconds} s</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="+17"/>
        <source>Working…</source>
        <translation>En cours…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Database: opening…</source>
        <translation>Base de données&#xa0;: ouverture…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>after {n} minutes without use</source>
        <translation>après {n} minutes d&apos;inactivité</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Opening the database…</source>
        <translation>Ouverture de la base de données…</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Database: {url}</source>
        <translation>Base de données&#xa0;: {url}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>KneeCheck is connected as a PostgreSQL superuser</source>
        <translation>KneeCheck est connecté en tant que superutilisateur PostgreSQL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KneeCheck is connected as the owner of its schema</source>
        <translation>KneeCheck est connecté en tant que propriétaire de son schéma</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{who}: anyone with this login can rewrite audit rows; see README ‘PostgreSQL roles’</source>
        <translation>{who}&#xa0;: toute personne disposant de cet identifiant peut réécrire les lignes d&apos;audit&#xa0;; voir le README, «&#xa0;PostgreSQL roles&#xa0;»</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>nobody is signed in</source>
        <translation>personne n&apos;est connecté</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>by hand</source>
        <translation>manuellement</translation>
    </message>
    <message>
        <location line="+189"/>
        <source>Not closed: the summary is still printing on {name}; close again once it is done.</source>
        <translation>Non fermé&#xa0;: la synthèse est encore en cours d&apos;impression sur {name}&#xa0;; fermez à nouveau une fois terminé.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not closed: the database has not answered yet; your entries are kept here. Close again later.</source>
        <translation>Non fermé&#xa0;: la base de données n&apos;a pas encore répondu&#xa0;; vos saisies sont conservées ici. Fermez à nouveau plus tard.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not closed: the encounter was not finalized (see the message); it is still a draft. Finalize again or close again.</source>
        <translation>Non fermé&#xa0;: la consultation n&apos;a pas été finalisée (voir le message)&#xa0;; c&apos;est toujours un brouillon. Finalisez à nouveau ou fermez à nouveau.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Unsaved entries are kept behind the lock: unlock first, then save or discard them.</source>
        <translation>Des saisies non enregistrées sont conservées derrière le verrouillage&#xa0;: déverrouillez d&apos;abord, puis enregistrez-les ou abandonnez-les.</translation>
    </message>
    <message>
        <location filename="../../ui/patients.py" line="+34"/>
        <source>female</source>
        <translation>femme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>male</source>
        <translation>homme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>other</source>
        <translation>autre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Opening the database… the search runs as soon as it is open.</source>
        <translation>Ouverture de la base de données… la recherche démarre dès qu&apos;elle est ouverte.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>First {n} matches; type more to narrow.</source>
        <translation>{n} premiers résultats&#xa0;; précisez la saisie pour affiner.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} patient(s) found</source>
        <translation>{n} patient(s) trouvé(s)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No patient found. Create one with New patient.</source>
        <translation>Aucun patient trouvé. Créez-en un avec «&#xa0;Nouveau patient&#xa0;».</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Search failed: {reason}</source>
        <translation>Échec de la recherche&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+114"/>
        <location filename="../../ui/work_area.py" line="-114"/>
        <source>No patient selected</source>
        <translation>Aucun patient sélectionné</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>MRN {mrn} · born {birth} ({age} y) · {sex}</source>
        <translation>IPP {mrn} · né(e) le {birth} ({age} ans) · {sex}</translation>
    </message>
    <message>
        <location filename="../../ui/summary_controller.py" line="-183"/>
        <source>The summary was not made: the entries kept changing; try again.</source>
        <translation>La synthèse n&apos;a pas été produite&#xa0;: les saisies changeaient sans cesse&#xa0;; réessayez.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The summary was not made: the entries are not stored yet.</source>
        <translation>La synthèse n&apos;a pas été produite&#xa0;: les saisies ne sont pas encore enregistrées.</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Still printing on {name}: wait until it is done.</source>
        <translation>Impression en cours sur {name}&#xa0;: attendez qu&apos;elle soit terminée.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Summary written to {path}</source>
        <translation>Synthèse écrite dans {path}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>no printer was chosen.</source>
        <translation>aucune imprimante n&apos;a été choisie.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sent to printer {name}: {n} page(s), CUPS job {job}</source>
        <translation>Envoyé à l&apos;imprimante {name}&#xa0;: {n} page(s), tâche CUPS {job}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Printer {name} did not take the job: {reason}</source>
        <translation>L&apos;imprimante {name} n&apos;a pas accepté la tâche&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sending to printer {name}…</source>
        <translation>Envoi à l&apos;imprimante {name}…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Export encounter</source>
        <translation>Exporter la consultation</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>PDF/A summary</source>
        <translation>Synthèse PDF/A</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FHIR R4 Bundle</source>
        <translation>Bundle FHIR R4</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>HL7 v2 message</source>
        <translation>Message HL7 v2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exported the {what} to {path}</source>
        <translation>Exporté ({what}) vers {path}</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Sending to {where}…</source>
        <translation>Envoi vers {where}…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Encounter {number} accepted by {where} ({code})</source>
        <translation>Consultation {number} acceptée par {where} ({code})</translation>
    </message>
    <message>
        <location filename="../../ui/work_area.py" line="-163"/>
        <source>Left</source>
        <translation>Gauche</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Right</source>
        <translation>Droit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Both</source>
        <translation>Les deux</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>Find pat&amp;ient (name, MRN or birth date):</source>
        <translation>&amp;Rechercher un patient (nom, IPP ou date de naissance)&#xa0;:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. Doe, A-1001 or 1961-04-02</source>
        <translation>p. ex. Dupont, A-1001 ou 1961-04-02</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find patient</source>
        <translation>Rechercher un patient</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Patients found</source>
        <translation>Patients trouvés</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Edi&amp;t patient…</source>
        <translation>&amp;Modifier le patient…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Enco&amp;unters (newest first):</source>
        <translation>C&amp;onsultations (récentes d&apos;abord)&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encounters</source>
        <translation>Consultations</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Date</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Knee</source>
        <translation>&amp;Genou</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clinician</source>
        <translation>Clinicien</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Choose a patient, then New encounter (Ctrl+N).</source>
        <translation>Choisissez un patient, puis «&#xa0;Nouvelle consultation&#xa0;» (Ctrl+N).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Clinician&apos;s notes</source>
        <translation>Notes du clinicien</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Knee choices</source>
        <translation>Choix du genou</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Checklist</source>
        <translation>Grille d&apos;&amp;examen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>N&amp;otes</source>
        <translation>&amp;Notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Summary</source>
        <translation>&amp;Synthèse</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Integrity warning</source>
        <translation>Alerte d&apos;intégrité</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rule set notice</source>
        <translation>Avis sur les règles</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Not saved</source>
        <translation>Non enregistré</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/messages.py" line="+33"/>
        <source>Unsaved changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This encounter has changes that are not saved yet. Save them now?</source>
        <translation>Cette consultation comporte des modifications non encore enregistrées. Les enregistrer maintenant&#xa0;?</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>Finalize encounter</source>
        <translation>Finaliser la consultation</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Finalize this encounter? It becomes read-only and is signed with your name and the time. Later changes need an amendment with a reason.</source>
        <translation>Finaliser cette consultation&#xa0;? Elle passe en lecture seule et est signée de votre nom, avec l&apos;heure. Toute modification ultérieure exigera une rectification motivée.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>These red flags were never asked:
{flags}

Finalize anyway? The summary lists them as not asked. The encounter becomes read-only and is signed with your name and the time.</source>
        <translation>Ces drapeaux rouges n&apos;ont jamais été recherchés&#xa0;:
{flags}

Finaliser quand même&#xa0;? La synthèse les indique comme non recherchés. La consultation passe en lecture seule et est signée de votre nom, avec l&apos;heure.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Red flags not asked</source>
        <translation>Drapeaux rouges non recherchés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record “No” for each red flag not asked yet?
{flags}

Only do this when you asked about each of them and the answer was no.</source>
        <translation>Enregistrer «&#xa0;Non&#xa0;» pour chaque drapeau rouge non encore recherché&#xa0;?
{flags}

À faire uniquement si vous avez recherché chacun d&apos;eux et que la réponse était non.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Red flags</source>
        <translation>Drapeaux rouges</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Every red flag has an answer already.</source>
        <translation>Tous les drapeaux rouges ont déjà une réponse.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to finding</source>
        <translation>Aller à un élément</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No finding of this checklist matches “{text}”.</source>
        <translation>Aucun élément de cette grille ne correspond à «&#xa0;{text}&#xa0;».</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rule set changed</source>
        <translation>Règles modifiées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This draft was assessed under rule set {old} when it was last saved. KneeCheck now uses rule set {new}: the panel shows the {new} assessment, and saving the draft stores it.</source>
        <translation>Ce brouillon a été évalué selon les règles {old} lors de son dernier enregistrement. KneeCheck utilise désormais les règles {new}&#xa0;: le panneau affiche l&apos;évaluation {new}, et l&apos;enregistrement du brouillon la conserve.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rule set not known here</source>
        <translation>Règles inconnues ici</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This draft was assessed under rule set {old}, which this KneeCheck does not have (a newer release saved it). The panel shows rule set {new}; saving or finalizing it is refused until KneeCheck is updated on this workstation.</source>
        <translation>Ce brouillon a été évalué selon les règles {old}, que cette version de KneeCheck ne possède pas (une version plus récente l&apos;a enregistré). Le panneau affiche les règles {new}&#xa0;; l&apos;enregistrement ou la finalisation sont refusés tant que KneeCheck n&apos;est pas mis à jour sur ce poste.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No record system set</source>
        <translation>Aucun logiciel de dossier défini</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set where records are sent (Settings: Send records to) first.</source>
        <translation>Définissez d&apos;abord le destinataire des envois (Paramètres&#xa0;: Destinataire des envois).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not accepted</source>
        <translation>Non accepté</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The record system did not confirm that it accepted the encounter: {reason}.{said}
Without an answer it may still have received it. Nothing is lost; sending again is safe (the message names the same document), or export it instead.</source>
        <translation>Le logiciel de dossier patient n&apos;a pas confirmé avoir accepté la consultation&#xa0;: {reason}.{said}
Sans réponse, il a pu la recevoir quand même. Rien n&apos;est perdu&#xa0;; un nouvel envoi est sans risque (le message désigne le même document), ou exportez-la plutôt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encounter is final</source>
        <translation>Consultation définitive</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This encounter is finalized and cannot be changed. Use Amend to correct it.</source>
        <translation>Cette consultation est finalisée et ne peut plus être modifiée. Utilisez «&#xa0;Rectifier&#xa0;» pour la corriger.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not save</source>
        <translation>Enregistrement impossible</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The encounter was not saved: {reason}
Your entries are still in the window.</source>
        <translation>La consultation n&apos;a pas été enregistrée&#xa0;: {reason}
Vos saisies sont toujours dans la fenêtre.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Database problem</source>
        <translation>Problème de base de données</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{reason}</source>
        <translation>{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No patient selected</source>
        <translation>Aucun patient sélectionné</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Find or create a patient first.</source>
        <translation>Recherchez ou créez d&apos;abord un patient.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No encounter open</source>
        <translation>Aucune consultation ouverte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open or start an encounter first.</source>
        <translation>Ouvrez ou commencez d&apos;abord une consultation.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recover draft</source>
        <translation>Récupérer le brouillon</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KneeCheck was not closed normally. A draft encounter (number {encounter_id}) was open and is saved up to its last automatic save. Open it again?</source>
        <translation>KneeCheck n&apos;a pas été fermé normalement. Un brouillon de consultation (numéro {encounter_id}) était ouvert&#xa0;; il est conservé jusqu&apos;à son dernier enregistrement automatique. Le rouvrir&#xa0;?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not export</source>
        <translation>Export impossible</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The summary was not written: {reason}</source>
        <translation>La synthèse n&apos;a pas été écrite&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not print</source>
        <translation>Impression impossible</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The summary was not printed: {reason}</source>
        <translation>La synthèse n&apos;a pas été imprimée&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not printed</source>
        <translation>Non imprimé</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Printer {name} did not take the job: {reason}.
Nothing is lost; print again, or choose another printer.</source>
        <translation>L&apos;imprimante {name} n&apos;a pas accepté la tâche&#xa0;: {reason}.
Rien n&apos;est perdu&#xa0;; relancez l&apos;impression ou choisissez une autre imprimante.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Summary not available</source>
        <translation>Synthèse indisponible</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The summary could not be made: {reason}</source>
        <translation>La synthèse n&apos;a pas pu être produite&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unexpected error</source>
        <translation>Erreur inattendue</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Something went wrong inside KneeCheck ({kind}). The window stays open and your entries are kept; save your work. Details were written to the log:
{log}</source>
        <translation>Un problème est survenu dans KneeCheck ({kind}). La fenêtre reste ouverte et vos saisies sont conservées&#xa0;; enregistrez votre travail. Les détails ont été écrits dans le journal&#xa0;:
{log}</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>Integrity warning</source>
        <translation>Alerte d&apos;intégrité</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>This finalized encounter does not match its signed revision: it may have been altered outside KneeCheck. Run `verify` and tell IT.</source>
        <translation>Cette consultation finalisée ne correspond pas à sa révision signée&#xa0;: elle a peut-être été modifiée en dehors de KneeCheck. Lancez `verify` et prévenez le service informatique.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The finalized encounter this draft amends does not match its signed revision: it may have been altered outside KneeCheck. Run `verify` and tell IT.</source>
        <translation>La consultation finalisée que ce brouillon rectifie ne correspond pas à sa révision signée&#xa0;: elle a peut-être été modifiée en dehors de KneeCheck. Lancez `verify` et prévenez le service informatique.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not saved</source>
        <translation>Non enregistré</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not saved: {reason}. Correct it; the encounter is saved as soon as it can be.</source>
        <translation>Non enregistré&#xa0;: {reason}. Corrigez-le&#xa0;; la consultation sera enregistrée dès que possible.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Knee</source>
        <translation>Genou</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clinician</source>
        <translation>Clinicien</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MRN</source>
        <translation>IPP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Family name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Given name</source>
        <translation>Prénom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient&apos;s birth date</source>
        <translation>Date de naissance du patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>Sexe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason for the amendment</source>
        <translation>Motif de la rectification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password</source>
        <translation>Nouveau mot de passe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encounter</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finding</source>
        <translation>Élément</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Entry</source>
        <translation>Saisie</translation>
    </message>
</context>
<context>
    <name>PatientDialog</name>
    <message>
        <location filename="../../ui/patient_dialog.py" line="+36"/>
        <source>Female</source>
        <translation>Femme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Male</source>
        <translation>Homme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;MRN</source>
        <translation>&amp;IPP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Family name</source>
        <translation>&amp;Nom</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Given name</source>
        <translation>&amp;Prénom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Birth date (YYYY-MM-DD)</source>
        <translation>&amp;Date de naissance (AAAA-MM-JJ)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Sex</source>
        <translation>&amp;Sexe</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Edit patient</source>
        <translation>Modifier le patient</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New patient</source>
        <translation>Nouveau patient</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-JJ</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../ui/sign_in.py" line="+38"/>
        <source>Opening the database…</source>
        <translation>Ouverture de la base de données…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign-in is possible as soon as the database is open.</source>
        <translation>La connexion sera possible dès que la base de données sera ouverte.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create the first clinician account</source>
        <translation>Créer le premier compte clinicien</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This database has no clinician accounts yet. Create yours: every change and every printed or exported summary will be recorded under this name. The password needs at least 8 characters.</source>
        <translation>Cette base de données n&apos;a encore aucun compte clinicien. Créez le vôtre&#xa0;: chaque modification et chaque synthèse imprimée ou exportée seront enregistrées sous ce nom. Le mot de passe doit comporter au moins 8 caractères.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign in</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign in with your clinician account.</source>
        <translation>Connectez-vous avec votre compte clinicien.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked</source>
        <translation>Verrouillé</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KneeCheck was locked {why}; patient data is hidden. Sign in again to continue: unsaved entries are kept. Another clinician may sign in here instead.</source>
        <translation>KneeCheck a été verrouillé {why}&#xa0;; les données patient sont masquées. Reconnectez-vous pour continuer&#xa0;: les saisies non enregistrées sont conservées. Un autre clinicien peut se connecter ici à votre place.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Password &amp;again</source>
        <translation>R&amp;essaisir le mot de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Name</source>
        <translation>&amp;Nom</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Password</source>
        <translation>Mot de &amp;passe</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Password again</source>
        <translation>Ressaisir le mot de passe</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>by hand</source>
        <translation>manuellement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Create account and sign in</source>
        <translation>C&amp;réer le compte et se connecter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Unlock</source>
        <translation>&amp;Déverrouiller</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Sign in</source>
        <translation>&amp;Se connecter</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Type your name.</source>
        <translation>Saisissez votre nom.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The two passwords differ; type them again.</source>
        <translation>Les deux mots de passe diffèrent&#xa0;; saisissez-les à nouveau.</translation>
    </message>
</context>
<context>
    <name>SummaryView</name>
    <message>
        <location filename="../../ui/summary_view.py" line="+51"/>
        <source>PDF/A summary (*.pdf)</source>
        <translation>Synthèse PDF/A (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FHIR R4 Bundle (*.json)</source>
        <translation>Bundle FHIR R4 (*.json)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HL7 v2 message (*.hl7)</source>
        <translation>Message HL7 v2 (*.hl7)</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Save the encounter, then choose Preview (Ctrl+Shift+V) to see the printed summary.</source>
        <translation>Enregistrez la consultation, puis choisissez «&#xa0;Aperçu&#xa0;» (Ctrl+Maj+V) pour voir la synthèse imprimée.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The encounter changed after this summary was made. Choose Preview (Ctrl+Shift+V) to see it as it is now.</source>
        <translation>La consultation a changé depuis la production de cette synthèse. Choisissez «&#xa0;Aperçu&#xa0;» (Ctrl+Maj+V) pour la voir dans son état actuel.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+19"/>
        <source>Summary preview</source>
        <translation>Aperçu de la synthèse</translation>
    </message>
</context>
<context>
    <name>Tables</name>
    <message>
        <location filename="../../ui/tables.py" line="+81"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MRN</source>
        <translation>IPP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Birth date</source>
        <translation>Date de naissance</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Left</source>
        <translation>Gauche</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Right</source>
        <translation>Droit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Both</source>
        <translation>Les deux</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Routine</source>
        <translation>Non urgent</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Check</source>
        <translation>À vérifier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Prioritaire</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urgent</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emergency</source>
        <translation>Urgence</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draft</source>
        <translation>Brouillon</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finalized</source>
        <translation>Finalisée</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Knee</source>
        <translation>Genou</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Direction</source>
        <translation>Orientation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urgency</source>
        <translation>Urgence</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No.</source>
        <translation>N°</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>amends {number}</source>
        <translation>rectifie {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>amended by {number}</source>
        <translation>rectifiée par {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>amendment {number} in progress</source>
        <translation>rectification {number} en cours</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>#{number}</source>
        <translation>n° {number}</translation>
    </message>
    <message>
        <location filename="../../ui/access_dialog.py" line="-81"/>
        <source>When (UTC)</source>
        <translation>Date (UTC)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clinician</source>
        <translation>Clinicien</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workstation</source>
        <translation>Poste</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OS user</source>
        <translation>Utilisateur OS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Encounter</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
</context>
</TS>
