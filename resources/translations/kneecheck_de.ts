<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AccessDialog</name>
    <message>
        <location filename="../../ui/access_dialog.py" line="+34"/>
        <source>View</source>
        <translation>Ansicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print</source>
        <translation>Druck</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit list</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>Sonstiges</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+12"/>
        <source>Who saw this patient</source>
        <translation>Zugriffe auf diesen Patienten</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>{name}, MRN {mrn}: {n} audit rows (views, prints, exports and changes), oldest first</source>
        <translation>{name}, PID {mrn}: {n} Protokolleinträge (Ansichten, Drucke, Exporte und Änderungen), älteste zuerst</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>One audit row per line: when, who, where and what</source>
        <translation>Ein Protokolleintrag pro Zeile: wann, wer, wo und was</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export &amp;CSV…</source>
        <translation>&amp;CSV exportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export who saw this patient</source>
        <translation>Zugriffe auf diesen Patienten exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Written: {path}</source>
        <translation>Geschrieben: {path}</translation>
    </message>
</context>
<context>
    <name>Accessibility</name>
    <message>
        <location filename="../../ui/accessibility.py" line="+31"/>
        <source>{name} choices</source>
        <translation>Auswahl: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choices</source>
        <translation>Auswahl</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="+130"/>
        <source>the database was not ready within {s:g} s</source>
        <translation>Die Datenbank war nach {s:g} s nicht bereit</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the log file cannot be written ({reason})</source>
        <translation>Die Protokolldatei kann nicht geschrieben werden ({reason})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{problem}. KneeCheck needs to write there; ask IT to make it writable.</source>
        <translation>{problem}. KneeCheck muss dort schreiben können; bitten Sie die IT, Schreibrechte einzurichten.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unexpected {kind}; details are in {log}</source>
        <translation>unerwarteter Fehler ({kind}); Details in {log}</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>KneeCheck cannot start</source>
        <translation>KneeCheck kann nicht starten</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>unexpected {kind}; details are in the log</source>
        <translation>unerwarteter Fehler ({kind}); Details im Protokoll</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot open the database</source>
        <translation>Die Datenbank kann nicht geöffnet werden</translation>
    </message>
</context>
<context>
    <name>AssessmentPanel</name>
    <message>
        <location filename="../../ui/assessment_panel.py" line="+81"/>
        <source>Finding</source>
        <translation>Befund</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Counts towards</source>
        <translation>Zählt für</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>Punkte</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Live assessment</source>
        <translation>Live-Auswertung</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Prompt</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+6"/>
        <source>Contributing findings</source>
        <translation>Beitragende Befunde</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+3"/>
        <source>Next steps</source>
        <translation>Nächste Schritte</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Urgency: {urgency}</source>
        <translation>Dringlichkeit: {urgency}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Routine</source>
        <translation>Routine</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../../ui/follow_up_view.py" line="+143"/>
        <source>Direction</source>
        <translation>Richtung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Why: {reason}</source>
        <translation>Begründung: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{target} score</source>
        <translation>Score {target}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Key items missing: {items}</source>
        <translation>Fehlende Schlüsselitems: {items}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All four key items assessed.</source>
        <translation>Alle vier Schlüsselitems erhoben.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nerve levels: {levels}</source>
        <translation>Segmenthöhen: {levels}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nerve levels: none indicated</source>
        <translation>Segmenthöhen: kein Hinweis</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rule set {ruleset}</source>
        <translation>Regelwerk {ruleset}</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>{tier} alert</source>
        <translation>Warnung {tier}</translation>
    </message>
    <message>
        <location filename="../../ui/follow_up_view.py" line="-106"/>
        <source>Scores over the visits</source>
        <translation>Scores im Verlauf</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Since the visit of {date}</source>
        <translation>Seit der Vorstellung vom {date}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Red flags present last time, not asked yet: {flags}</source>
        <translation>Red Flags beim letzten Mal positiv, noch nicht gefragt: {flags}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No finding changed so far.</source>
        <translation>Bisher kein Befund geändert.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No finding changed.</source>
        <translation>Kein Befund geändert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recorded last time, not yet this time: {items}</source>
        <translation>Beim letzten Mal erfasst, diesmal noch nicht: {items}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(then → so far)</source>
        <translation>(damals → bisher)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>(then → now)</source>
        <translation>(damals → jetzt)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urgency</source>
        <translation>Dringlichkeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scores</source>
        <translation>Scores</translation>
    </message>
    <message>
        <location filename="../../ui/leg_map_view.py" line="+41"/>
        <source>Leg map</source>
        <translation>Beinschema</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click a dermatome to record it as the dermatomal deficit</source>
        <translation>Klicken Sie auf ein Dermatom, um es als dermatomales Defizit zu erfassen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Leg map ({leg})</source>
        <translation>Beinschema ({leg})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Leg map: {what}</source>
        <translation>Beinschema: {what}</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../ui/dialogs.py" line="+51"/>
        <source>Amend encounter</source>
        <translation>Nachtrag erstellen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reason for the amendment</source>
        <translation>Grund für den Nachtrag</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Reason for the amendment (required; printed on the summary):</source>
        <translation>&amp;Grund für den Nachtrag (Pflichtfeld; erscheint im Bericht):</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saved elsewhere in the meantime</source>
        <translation>Zwischenzeitlich anderswo gespeichert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This patient&apos;s details were changed and saved on another workstation after you opened them. Nothing has been overwritten. The differences:</source>
        <translation>Die Daten dieses Patienten wurden an einem anderen Arbeitsplatz geändert und gespeichert, nachdem Sie sie geöffnet hatten. Nichts wurde überschrieben. Die Unterschiede:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This encounter was changed and saved on another workstation after you opened it. Nothing has been overwritten. The differences:</source>
        <translation>Diese Konsultation wurde an einem anderen Arbeitsplatz geändert und gespeichert, nachdem Sie sie geöffnet hatten. Nichts wurde überschrieben. Die Unterschiede:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Differences between the stored version and yours</source>
        <translation>Unterschiede zwischen der gespeicherten und Ihrer Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stored (other workstation)</source>
        <translation>Gespeichert (anderer Arbeitsplatz)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Yours (this window)</source>
        <translation>Ihre (dieses Fenster)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Keep mine (save on top)</source>
        <translation>&amp;Meine behalten (darüber speichern)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reload theirs</source>
        <translation>Gespeicherte &amp;laden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decide &amp;later</source>
        <translation>&amp;Später entscheiden</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Not assessed</source>
        <translation>Nicht erhoben</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. urn:oid:1.2.3 (empty: $KNEECHECK_MRN_SYSTEM, else urn:kneecheck:mrn)</source>
        <translation>z. B. urn:oid:1.2.3 (leer: $KNEECHECK_MRN_SYSTEM, sonst urn:kneecheck:mrn)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HL7 sending facility (empty: $KNEECHECK_FACILITY, else KNEECHECK)</source>
        <translation>HL7 sendende Einrichtung (leer: $KNEECHECK_FACILITY, sonst KNEECHECK)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HOST:PORT of the record system (empty: no sending)</source>
        <translation>HOST:PORT des Dokumentationssystems (leer: kein Senden)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A key that answers an item moves to the next item</source>
        <translation>Eine Taste, die ein Item beantwortet, springt zum nächsten Item</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>System language ({language})</source>
        <translation>Systemsprache ({language})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The window&apos;s language from the next start of KneeCheck; summaries are printed in it unless another is chosen</source>
        <translation>Sprache des Fensters ab dem nächsten Start von KneeCheck; Berichte werden in dieser Sprache gedruckt, sofern keine andere gewählt wird</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Clinic &amp;name</source>
        <translation>&amp;Name der Einrichtung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clinic &amp;address</source>
        <translation>A&amp;dresse der Einrichtung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default &amp;clinician</source>
        <translation>Standard-&amp;Behandler</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Paper size</source>
        <translation>&amp;Papierformat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Lock after no use for</source>
        <translation>&amp;Sperren nach Inaktivität von</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;MRN identifier system (FHIR)</source>
        <translation>PID-&amp;Identifikatorsystem (FHIR)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HL7 &amp;facility</source>
        <translation>HL7-&amp;Einrichtung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send records &amp;to (MLLP)</source>
        <translation>&amp;Zielsystem (MLLP)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;hecklist</source>
        <translation>&amp;Checkliste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lan&amp;guage (from the next start)</source>
        <translation>Sp&amp;rache (ab dem nächsten Start)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stored on this workstation only; no patient data is kept in settings.</source>
        <translation>Nur an diesem Arbeitsplatz gespeichert; in den Einstellungen werden keine Patientendaten abgelegt.</translation>
    </message>
</context>
<context>
    <name>EncounterEditor</name>
    <message>
        <location filename="../../ui/answer_controls.py" line="+132"/>
        <location line="+37"/>
        <location line="+65"/>
        <source>Not assessed</source>
        <translation>Nicht erhoben</translation>
    </message>
    <message>
        <location filename="../../ui/encounter_editor.py" line="+113"/>
        <source>Hip screen call-out</source>
        <translation>Hinweis Hüft-Screening</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Key items (answer these four first)</source>
        <translation>Schlüsselitems (diese vier zuerst beantworten)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{section}. Red flags (always check)</source>
        <translation>{section}. Red Flags (immer prüfen)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Checklist</source>
        <translation>Checkliste</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Red flags</source>
        <translation>Red Flags</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{label} (key item)</source>
        <translation>{label} (Schlüsselitem)</translation>
    </message>
    <message>
        <location line="+182"/>
        <source>{note} Answers kept although it does not apply now; they do not count. Set them to Not assessed if they do not apply.</source>
        <translation>{note} Antworten bleiben erhalten, obwohl das Item jetzt nicht zutrifft; sie zählen nicht. Setzen Sie sie auf „Nicht erhoben“, wenn sie nicht zutreffen.</translation>
    </message>
</context>
<context>
    <name>EncounterSession</name>
    <message>
        <location filename="../../ui/encounter_session.py" line="+305"/>
        <source>it is finalized and read-only; amend it instead</source>
        <translation>sie ist abgeschlossen und schreibgeschützt; erstellen Sie stattdessen einen Nachtrag</translation>
    </message>
    <message>
        <location line="+129"/>
        <location line="+55"/>
        <source>the encounter was changed elsewhere</source>
        <translation>die Konsultation wurde anderswo geändert</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>encounter {number}</source>
        <translation>Konsultation {number}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the new draft of the earlier patient</source>
        <translation>neuer Entwurf des vorherigen Patienten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it was changed on another workstation meanwhile</source>
        <translation>sie wurde zwischenzeitlich an einem anderen Arbeitsplatz geändert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the last save of {which} was not stored ({why}); open it to redo those entries</source>
        <translation>die letzte Speicherung ({which}) wurde nicht abgelegt ({why}); öffnen Sie sie, um diese Eingaben zu wiederholen</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>it was finalized on another workstation; amend it instead</source>
        <translation>sie wurde an einem anderen Arbeitsplatz abgeschlossen; erstellen Sie stattdessen einen Nachtrag</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Finalize was not done: the window was locked. Finalize again</source>
        <translation>Nicht abgeschlossen: Das Fenster wurde gesperrt. Bitte erneut abschließen</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>the amendment was stored as draft {number}; open it from the list</source>
        <translation>der Nachtrag wurde als Entwurf {number} gespeichert; öffnen Sie ihn aus der Liste</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../../ui/help.py" line="+30"/>
        <source>Qt for Python: the window</source>
        <translation>Qt for Python: das Fenster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt PDF: the summary preview</source>
        <translation>Qt PDF: die Berichtsvorschau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt for Python bindings</source>
        <translation>Qt-for-Python-Bindings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>database access</source>
        <translation>Datenbankzugriff</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>database migrations</source>
        <translation>Datenbankmigrationen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PostgreSQL driver</source>
        <translation>PostgreSQL-Treiber</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the printed summary</source>
        <translation>der gedruckte Bericht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>archival PDF/A summaries</source>
        <translation>PDF/A-Berichte zur Archivierung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>password hashing</source>
        <translation>Passwort-Hashing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>where files are kept</source>
        <translation>Ablageorte der Dateien</translation>
    </message>
    <message>
        <location line="+39"/>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>see {file}</source>
        <translation>siehe {file}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>not stated in its metadata</source>
        <translation>in den Metadaten nicht angegeben</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{app} {version}</source>
        <translation>{app} {version}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rule set: {ruleset}</source>
        <translation>Regelwerk: {ruleset}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decision support, not a diagnosis.</source>
        <translation>Entscheidungshilfe, keine Diagnose.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bundled fonts:</source>
        <translation>Mitgelieferte Schriften:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Libraries (Qt {qt} is bundled in the PySide6 packages, under their licence):</source>
        <translation>Bibliotheken (Qt {qt} ist in den PySide6-Paketen enthalten, unter deren Lizenz):</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+10"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+7"/>
        <source>About KneeCheck</source>
        <translation>Über KneeCheck</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/actions.py" line="+35"/>
        <source>&amp;Find patient</source>
        <translation>Patient &amp;suchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/work_area.py" line="+193"/>
        <source>New &amp;patient…</source>
        <translation>Neuer &amp;Patient…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Lock now</source>
        <translation>&amp;Jetzt sperren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/work_area.py" line="+20"/>
        <source>&amp;New encounter</source>
        <translation>&amp;Neue Konsultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Finalize…</source>
        <translation>&amp;Abschließen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Amend…</source>
        <translation>Nach&amp;trag…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pre&amp;view summary</source>
        <translation>Berichts&amp;vorschau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Print summary…</source>
        <translation>Bericht &amp;drucken…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sen&amp;d to record system</source>
        <translation>An Dok&amp;umentationssystem senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;checklist</source>
        <translation>Zur &amp;Checkliste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;red flags</source>
        <translation>Zu den &amp;Red Flags</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;notes</source>
        <translation>Zu den &amp;Notizen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Go to finding…</source>
        <translation>&amp;Befund aufrufen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Red flags not asked &amp;yet: No…</source>
        <translation>Nicht gefragte Red Flags: N&amp;ein…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo the last answer given by key</source>
        <translation>&amp;Letzte Antwort per Taste rückgängig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign &amp;out / switch clinician…</source>
        <translation>&amp;Abmelden / Behandler wechseln…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About KneeCheck</source>
        <translation>Ü&amp;ber KneeCheck</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Who saw this patient…</source>
        <translation>&amp;Zugriffe auf diesen Patienten…</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Encounter</source>
        <translation>&amp;Konsultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Go</source>
        <translation>&amp;Gehe zu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/work_area.py" line="+44"/>
        <location line="+59"/>
        <source>Encounter</source>
        <translation>Konsultation</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Export the encounter: PDF/A summary, FHIR R4 Bundle or HL7 v2 message</source>
        <translation>Konsultation exportieren: PDF/A-Bericht, FHIR-R4-Bundle oder HL7-v2-Nachricht</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Summary &amp;language</source>
        <translation>&amp;Berichtssprache</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>As the window ({language})</source>
        <translation>Wie das Fenster ({language})</translation>
    </message>
    <message>
        <location filename="../../ui/asking.py" line="+98"/>
        <source>{what} was not done: the window was locked.</source>
        <translation>Nicht ausgeführt ({what}): Das Fenster wurde gesperrt.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The patient&apos;s details were not shown: the window was locked.</source>
        <translation>Die Patientendaten wurden nicht angezeigt: Das Fenster wurde gesperrt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Amend was not done: the window was locked.</source>
        <translation>Nachtrag nicht ausgeführt: Das Fenster wurde gesperrt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A conflict with another workstation waits: the window was locked.</source>
        <translation>Ein Konflikt mit einem anderen Arbeitsplatz wartet: Das Fenster wurde gesperrt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Settings were not changed: the window was locked.</source>
        <translation>Einstellungen nicht geändert: Das Fenster wurde gesperrt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../../ui/summary_controller.py" line="+162"/>
        <source>Print was not done: the window was locked. Print again.</source>
        <translation>Nicht gedruckt: Das Fenster wurde gesperrt. Bitte erneut drucken.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Go to finding was not done: the window was locked.</source>
        <translation>Befund aufrufen nicht ausgeführt: Das Fenster wurde gesperrt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Go to finding</source>
        <translation>Befund aufrufen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finding (type part of its name):</source>
        <translation>Befund (Teil des Namens eingeben):</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../../ui/summary_controller.py" line="+87"/>
        <source>Export was not done: the window was locked. Export again.</source>
        <translation>Nicht exportiert: Das Fenster wurde gesperrt. Bitte erneut exportieren.</translation>
    </message>
    <message>
        <location filename="../../ui/encounter_view.py" line="+44"/>
        <source>Saved at {time}</source>
        <translation>Gespeichert um {time}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved automatically at {time}</source>
        <translation>Automatisch gespeichert um {time}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved on top of the other workstation&apos;s version at {time}</source>
        <translation>Über die Version des anderen Arbeitsplatzes gespeichert um {time}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finalized</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <location line="+193"/>
        <source>No encounter open</source>
        <translation>Keine Konsultation geöffnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New draft, not saved yet</source>
        <translation>Neuer Entwurf, noch nicht gespeichert</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>FINAL, read-only: signed by {who} on {when}</source>
        <translation>ABGESCHLOSSEN, schreibgeschützt: signiert von {who} am {when}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Superseded by amendment {number}</source>
        <translation>Ersetzt durch Nachtrag {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DRAFT {number}, version {version}</source>
        <translation>ENTWURF {number}, Version {version}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Amends encounter {number}: {reason}</source>
        <translation>Nachtrag zu Konsultation {number}: {reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>saving…</source>
        <translation>speichert…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unsaved changes</source>
        <translation>ungespeicherte Änderungen</translation>
    </message>
    <message>
        <location line="+48"/>
        <location filename="../../ui/main_window.py" line="+462"/>
        <source>Waiting for the save to finish…</source>
        <translation>Warten, bis das Speichern abgeschlossen ist…</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>{n} red flag(s) recorded as No</source>
        <translation>{n} Red Flag(s) als „Nein“ erfasst</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Amendment opened as a new draft; the original is kept</source>
        <translation>Nachtrag als neuer Entwurf geöffnet; das Original bleibt erhalten</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Not assessed</source>
        <translation>Nicht erhoben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{item}: {answer} (Ctrl+Z undoes)</source>
        <translation>{item}: {answer} (Strg+Z macht rückgängig)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No answer to undo</source>
        <translation>Keine Antwort zum Rückgängigmachen</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>choose the knee (left, right or both)</source>
        <translation>Knie wählen (links, rechts oder beidseits)</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Not saved: the encounter was changed elsewhere. Save (Ctrl+S) to decide.</source>
        <translation>Nicht gespeichert: Die Konsultation wurde anderswo geändert. Speichern (Strg+S), um zu entscheiden.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not saved: the database cannot be reached. Your entries are kept here; KneeCheck tries again at {time} (or press Ctrl+S).</source>
        <translation>Nicht gespeichert: Die Datenbank ist nicht erreichbar. Ihre Eingaben bleiben hier erhalten; KneeCheck versucht es um {time} erneut (oder drücken Sie Strg+S).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the database cannot be reached (details are in the log); your entries are kept and saved when it answers</source>
        <translation>Die Datenbank ist nicht erreichbar (Details im Protokoll); Ihre Eingaben bleiben erhalten und werden gespeichert, sobald sie antwortet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not saved yet: {reason}</source>
        <translation>Noch nicht gespeichert: {reason}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Automatic save failed: {reason}</source>
        <translation>Automatisches Speichern fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="+86"/>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Another workstation has just created the first account; sign in.</source>
        <translation>Ein anderer Arbeitsplatz hat gerade das erste Konto angelegt; bitte melden Sie sich an.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>KneeCheck — {name}</source>
        <translation>KneeCheck — {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed in: {name}</source>
        <translation>Angemeldet: {name}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>KneeCheck — locked</source>
        <translation>KneeCheck — gesperrt</translation>
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
        <translation>Name oder Passwort ist nicht korrekt; erneut versuchen in {seconds} s</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="+17"/>
        <source>Working…</source>
        <translation>In Arbeit…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Database: opening…</source>
        <translation>Datenbank: wird geöffnet…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>after {n} minutes without use</source>
        <translation>nach {n} Minuten ohne Nutzung</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Opening the database…</source>
        <translation>Datenbank wird geöffnet…</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Database: {url}</source>
        <translation>Datenbank: {url}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>KneeCheck is connected as a PostgreSQL superuser</source>
        <translation>KneeCheck ist als PostgreSQL-Superuser verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KneeCheck is connected as the owner of its schema</source>
        <translation>KneeCheck ist als Eigentümer seines Schemas verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{who}: anyone with this login can rewrite audit rows; see README ‘PostgreSQL roles’</source>
        <translation>{who}: Jeder mit diesem Login kann Protokolleinträge umschreiben; siehe README „PostgreSQL roles“</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>nobody is signed in</source>
        <translation>niemand angemeldet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>by hand</source>
        <translation>manuell</translation>
    </message>
    <message>
        <location line="+189"/>
        <source>Not closed: the summary is still printing on {name}; close again once it is done.</source>
        <translation>Nicht geschlossen: Der Bericht wird noch auf {name} gedruckt; schließen Sie erneut, wenn der Druck fertig ist.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not closed: the database has not answered yet; your entries are kept here. Close again later.</source>
        <translation>Nicht geschlossen: Die Datenbank hat noch nicht geantwortet; Ihre Eingaben bleiben hier erhalten. Später erneut schließen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not closed: the encounter was not finalized (see the message); it is still a draft. Finalize again or close again.</source>
        <translation>Nicht geschlossen: Die Konsultation wurde nicht abgeschlossen (siehe Meldung); sie ist noch ein Entwurf. Erneut abschließen oder erneut schließen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Unsaved entries are kept behind the lock: unlock first, then save or discard them.</source>
        <translation>Ungespeicherte Eingaben bleiben hinter der Sperre erhalten: erst entsperren, dann speichern oder verwerfen.</translation>
    </message>
    <message>
        <location filename="../../ui/patients.py" line="+34"/>
        <source>female</source>
        <translation>weiblich</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>male</source>
        <translation>männlich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>other</source>
        <translation>divers</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Opening the database… the search runs as soon as it is open.</source>
        <translation>Datenbank wird geöffnet… die Suche startet, sobald sie offen ist.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>First {n} matches; type more to narrow.</source>
        <translation>Erste {n} Treffer; zum Eingrenzen weiter tippen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} patient(s) found</source>
        <translation>{n} Patient(en) gefunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No patient found. Create one with New patient.</source>
        <translation>Kein Patient gefunden. Legen Sie einen mit „Neuer Patient“ an.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Search failed: {reason}</source>
        <translation>Suche fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <location line="+114"/>
        <location filename="../../ui/work_area.py" line="-114"/>
        <source>No patient selected</source>
        <translation>Kein Patient ausgewählt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>MRN {mrn} · born {birth} ({age} y) · {sex}</source>
        <translation>PID {mrn} · geb. {birth} ({age} J.) · {sex}</translation>
    </message>
    <message>
        <location filename="../../ui/summary_controller.py" line="-183"/>
        <source>The summary was not made: the entries kept changing; try again.</source>
        <translation>Der Bericht wurde nicht erstellt: Die Eingaben änderten sich laufend; bitte erneut versuchen.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The summary was not made: the entries are not stored yet.</source>
        <translation>Der Bericht wurde nicht erstellt: Die Eingaben sind noch nicht gespeichert.</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Still printing on {name}: wait until it is done.</source>
        <translation>Druck auf {name} läuft noch: Bitte warten, bis er fertig ist.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Summary written to {path}</source>
        <translation>Bericht geschrieben nach {path}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>no printer was chosen.</source>
        <translation>Es wurde kein Drucker gewählt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sent to printer {name}: {n} page(s), CUPS job {job}</source>
        <translation>An Drucker {name} gesendet: {n} Seite(n), CUPS-Auftrag {job}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Printer {name} did not take the job: {reason}</source>
        <translation>Drucker {name} hat den Auftrag nicht angenommen: {reason}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sending to printer {name}…</source>
        <translation>Wird an Drucker {name} gesendet…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Export encounter</source>
        <translation>Konsultation exportieren</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>PDF/A summary</source>
        <translation>PDF/A-Bericht</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FHIR R4 Bundle</source>
        <translation>FHIR-R4-Bundle</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>HL7 v2 message</source>
        <translation>HL7-v2-Nachricht</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exported the {what} to {path}</source>
        <translation>Exportiert: {what} nach {path}</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Sending to {where}…</source>
        <translation>Wird an {where} gesendet…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Encounter {number} accepted by {where} ({code})</source>
        <translation>Konsultation {number} von {where} angenommen ({code})</translation>
    </message>
    <message>
        <location filename="../../ui/work_area.py" line="-163"/>
        <source>Left</source>
        <translation>Links</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Right</source>
        <translation>Rechts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Both</source>
        <translation>Beidseits</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>Find pat&amp;ient (name, MRN or birth date):</source>
        <translation>Patient &amp;suchen (Name, PID oder Geburtsdatum):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. Doe, A-1001 or 1961-04-02</source>
        <translation>z. B. Müller, A-1001 oder 1961-04-02</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find patient</source>
        <translation>Patient suchen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Patients found</source>
        <translation>Gefundene Patienten</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Edi&amp;t patient…</source>
        <translation>Patient b&amp;earbeiten…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Enco&amp;unters (newest first):</source>
        <translation>K&amp;onsultationen (neueste zuerst):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encounters</source>
        <translation>Konsultationen</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Date</source>
        <translation>Dat&amp;um</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Knee</source>
        <translation>Kn&amp;ie</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clinician</source>
        <translation>Behandler</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Choose a patient, then New encounter (Ctrl+N).</source>
        <translation>Wählen Sie einen Patienten, dann „Neue Konsultation“ (Strg+N).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Clinician&apos;s notes</source>
        <translation>Notizen des Behandlers</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Knee choices</source>
        <translation>Auswahl Knie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Checklist</source>
        <translation>&amp;Checkliste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>N&amp;otes</source>
        <translation>No&amp;tizen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Summary</source>
        <translation>&amp;Bericht</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Integrity warning</source>
        <translation>Integritätswarnung</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rule set notice</source>
        <translation>Hinweis zum Regelwerk</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/messages.py" line="+33"/>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This encounter has changes that are not saved yet. Save them now?</source>
        <translation>Diese Konsultation hat noch nicht gespeicherte Änderungen. Jetzt speichern?</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>Finalize encounter</source>
        <translation>Konsultation abschließen</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Finalize this encounter? It becomes read-only and is signed with your name and the time. Later changes need an amendment with a reason.</source>
        <translation>Diese Konsultation abschließen? Sie wird schreibgeschützt und mit Ihrem Namen und der Uhrzeit signiert. Spätere Änderungen erfordern einen Nachtrag mit Begründung.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>These red flags were never asked:
{flags}

Finalize anyway? The summary lists them as not asked. The encounter becomes read-only and is signed with your name and the time.</source>
        <translation>Diese Red Flags wurden nie gefragt:
{flags}

Trotzdem abschließen? Der Bericht führt sie als nicht gefragt auf. Die Konsultation wird schreibgeschützt und mit Ihrem Namen und der Uhrzeit signiert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Red flags not asked</source>
        <translation>Red Flags nicht gefragt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record “No” for each red flag not asked yet?
{flags}

Only do this when you asked about each of them and the answer was no.</source>
        <translation>Für jede noch nicht gefragte Red Flag „Nein“ erfassen?
{flags}

Tun Sie das nur, wenn Sie nach jeder davon gefragt haben und die Antwort „Nein“ war.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Red flags</source>
        <translation>Red Flags</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Every red flag has an answer already.</source>
        <translation>Jede Red Flag hat bereits eine Antwort.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to finding</source>
        <translation>Befund aufrufen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No finding of this checklist matches “{text}”.</source>
        <translation>Kein Befund dieser Checkliste passt zu „{text}“.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rule set changed</source>
        <translation>Regelwerk geändert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This draft was assessed under rule set {old} when it was last saved. KneeCheck now uses rule set {new}: the panel shows the {new} assessment, and saving the draft stores it.</source>
        <translation>Dieser Entwurf wurde beim letzten Speichern nach Regelwerk {old} bewertet. KneeCheck verwendet jetzt Regelwerk {new}: Die Anzeige zeigt die Bewertung nach {new}, und Speichern des Entwurfs legt sie ab.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rule set not known here</source>
        <translation>Regelwerk hier nicht bekannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This draft was assessed under rule set {old}, which this KneeCheck does not have (a newer release saved it). The panel shows rule set {new}; saving or finalizing it is refused until KneeCheck is updated on this workstation.</source>
        <translation>Dieser Entwurf wurde nach Regelwerk {old} bewertet, das diese KneeCheck-Version nicht kennt (eine neuere Version hat ihn gespeichert). Die Anzeige zeigt Regelwerk {new}; Speichern oder Abschließen wird abgelehnt, bis KneeCheck an diesem Arbeitsplatz aktualisiert ist.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No record system set</source>
        <translation>Kein Dokumentationssystem eingerichtet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set where records are sent (Settings: Send records to) first.</source>
        <translation>Legen Sie zuerst fest, wohin Daten gesendet werden (Einstellungen: Zielsystem).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not accepted</source>
        <translation>Nicht angenommen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The record system did not confirm that it accepted the encounter: {reason}.{said}
Without an answer it may still have received it. Nothing is lost; sending again is safe (the message names the same document), or export it instead.</source>
        <translation>Das Dokumentationssystem hat nicht bestätigt, dass es die Konsultation angenommen hat: {reason}.{said}
Ohne Antwort kann es sie trotzdem erhalten haben. Nichts ist verloren; erneutes Senden ist sicher (die Nachricht bezeichnet dasselbe Dokument), oder exportieren Sie sie stattdessen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encounter is final</source>
        <translation>Konsultation ist abgeschlossen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This encounter is finalized and cannot be changed. Use Amend to correct it.</source>
        <translation>Diese Konsultation ist abgeschlossen und kann nicht geändert werden. Korrigieren Sie sie mit „Nachtrag“.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not save</source>
        <translation>Speichern nicht möglich</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The encounter was not saved: {reason}
Your entries are still in the window.</source>
        <translation>Die Konsultation wurde nicht gespeichert: {reason}
Ihre Eingaben sind noch im Fenster.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Database problem</source>
        <translation>Datenbankproblem</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{reason}</source>
        <translation>{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No patient selected</source>
        <translation>Kein Patient ausgewählt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Find or create a patient first.</source>
        <translation>Suchen oder legen Sie zuerst einen Patienten an.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No encounter open</source>
        <translation>Keine Konsultation geöffnet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open or start an encounter first.</source>
        <translation>Öffnen oder beginnen Sie zuerst eine Konsultation.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recover draft</source>
        <translation>Entwurf wiederherstellen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KneeCheck was not closed normally. A draft encounter (number {encounter_id}) was open and is saved up to its last automatic save. Open it again?</source>
        <translation>KneeCheck wurde nicht normal beendet. Ein Konsultationsentwurf (Nummer {encounter_id}) war geöffnet und ist bis zur letzten automatischen Speicherung gesichert. Erneut öffnen?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not export</source>
        <translation>Export nicht möglich</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The summary was not written: {reason}</source>
        <translation>Der Bericht wurde nicht geschrieben: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not print</source>
        <translation>Drucken nicht möglich</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The summary was not printed: {reason}</source>
        <translation>Der Bericht wurde nicht gedruckt: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not printed</source>
        <translation>Nicht gedruckt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Printer {name} did not take the job: {reason}.
Nothing is lost; print again, or choose another printer.</source>
        <translation>Drucker {name} hat den Auftrag nicht angenommen: {reason}.
Nichts ist verloren; erneut drucken oder einen anderen Drucker wählen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Summary not available</source>
        <translation>Bericht nicht verfügbar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The summary could not be made: {reason}</source>
        <translation>Der Bericht konnte nicht erstellt werden: {reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unexpected error</source>
        <translation>Unerwarteter Fehler</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Something went wrong inside KneeCheck ({kind}). The window stays open and your entries are kept; save your work. Details were written to the log:
{log}</source>
        <translation>In KneeCheck ist ein Fehler aufgetreten ({kind}). Das Fenster bleibt offen und Ihre Eingaben bleiben erhalten; speichern Sie Ihre Arbeit. Details stehen im Protokoll:
{log}</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>Integrity warning</source>
        <translation>Integritätswarnung</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>This finalized encounter does not match its signed revision: it may have been altered outside KneeCheck. Run `verify` and tell IT.</source>
        <translation>Diese abgeschlossene Konsultation stimmt nicht mit ihrer signierten Revision überein: Sie wurde möglicherweise außerhalb von KneeCheck verändert. Führen Sie `verify` aus und informieren Sie die IT.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The finalized encounter this draft amends does not match its signed revision: it may have been altered outside KneeCheck. Run `verify` and tell IT.</source>
        <translation>Die abgeschlossene Konsultation, zu der dieser Entwurf ein Nachtrag ist, stimmt nicht mit ihrer signierten Revision überein: Sie wurde möglicherweise außerhalb von KneeCheck verändert. Führen Sie `verify` aus und informieren Sie die IT.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not saved: {reason}. Correct it; the encounter is saved as soon as it can be.</source>
        <translation>Nicht gespeichert: {reason}. Bitte korrigieren; die Konsultation wird gespeichert, sobald es möglich ist.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Knee</source>
        <translation>Knie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clinician</source>
        <translation>Behandler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MRN</source>
        <translation>PID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Family name</source>
        <translation>Nachname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Given name</source>
        <translation>Vorname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient&apos;s birth date</source>
        <translation>Geburtsdatum des Patienten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>Geschlecht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason for the amendment</source>
        <translation>Grund für den Nachtrag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password</source>
        <translation>Neues Passwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encounter</source>
        <translation>Konsultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finding</source>
        <translation>Befund</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Entry</source>
        <translation>Eingabe</translation>
    </message>
</context>
<context>
    <name>PatientDialog</name>
    <message>
        <location filename="../../ui/patient_dialog.py" line="+36"/>
        <source>Female</source>
        <translation>Weiblich</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Male</source>
        <translation>Männlich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>Divers</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;MRN</source>
        <translation>&amp;PID</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Family name</source>
        <translation>&amp;Nachname</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Given name</source>
        <translation>&amp;Vorname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Birth date (YYYY-MM-DD)</source>
        <translation>&amp;Geburtsdatum (JJJJ-MM-TT)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Sex</source>
        <translation>Ge&amp;schlecht</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Edit patient</source>
        <translation>Patient bearbeiten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New patient</source>
        <translation>Neuer Patient</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>YYYY-MM-DD</source>
        <translation>JJJJ-MM-TT</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../ui/sign_in.py" line="+38"/>
        <source>Opening the database…</source>
        <translation>Datenbank wird geöffnet…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign-in is possible as soon as the database is open.</source>
        <translation>Anmelden ist möglich, sobald die Datenbank geöffnet ist.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create the first clinician account</source>
        <translation>Erstes Behandlerkonto anlegen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This database has no clinician accounts yet. Create yours: every change and every printed or exported summary will be recorded under this name. The password needs at least 8 characters.</source>
        <translation>Diese Datenbank hat noch keine Behandlerkonten. Legen Sie Ihres an: Jede Änderung und jeder gedruckte oder exportierte Bericht wird unter diesem Namen protokolliert. Das Passwort braucht mindestens 8 Zeichen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign in with your clinician account.</source>
        <translation>Melden Sie sich mit Ihrem Behandlerkonto an.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KneeCheck was locked {why}; patient data is hidden. Sign in again to continue: unsaved entries are kept. Another clinician may sign in here instead.</source>
        <translation>KneeCheck wurde {why} gesperrt; Patientendaten sind ausgeblendet. Melden Sie sich erneut an, um fortzufahren: Ungespeicherte Eingaben bleiben erhalten. Stattdessen kann sich hier auch ein anderer Behandler anmelden.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Password &amp;again</source>
        <translation>Passwort &amp;wiederholen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Password</source>
        <translation>&amp;Passwort</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Password again</source>
        <translation>Passwort wiederholen</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>by hand</source>
        <translation>manuell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Create account and sign in</source>
        <translation>Konto &amp;anlegen und anmelden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Unlock</source>
        <translation>&amp;Entsperren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Sign in</source>
        <translation>An&amp;melden</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Type your name.</source>
        <translation>Geben Sie Ihren Namen ein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The two passwords differ; type them again.</source>
        <translation>Die beiden Passwörter stimmen nicht überein; bitte erneut eingeben.</translation>
    </message>
</context>
<context>
    <name>SummaryView</name>
    <message>
        <location filename="../../ui/summary_view.py" line="+51"/>
        <source>PDF/A summary (*.pdf)</source>
        <translation>PDF/A-Bericht (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FHIR R4 Bundle (*.json)</source>
        <translation>FHIR-R4-Bundle (*.json)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HL7 v2 message (*.hl7)</source>
        <translation>HL7-v2-Nachricht (*.hl7)</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Save the encounter, then choose Preview (Ctrl+Shift+V) to see the printed summary.</source>
        <translation>Speichern Sie die Konsultation und wählen Sie dann „Berichtsvorschau“ (Strg+Umschalt+V), um den gedruckten Bericht zu sehen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The encounter changed after this summary was made. Choose Preview (Ctrl+Shift+V) to see it as it is now.</source>
        <translation>Die Konsultation wurde geändert, nachdem dieser Bericht erstellt wurde. Wählen Sie „Berichtsvorschau“ (Strg+Umschalt+V), um den aktuellen Stand zu sehen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+19"/>
        <source>Summary preview</source>
        <translation>Berichtsvorschau</translation>
    </message>
</context>
<context>
    <name>Tables</name>
    <message>
        <location filename="../../ui/tables.py" line="+81"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MRN</source>
        <translation>PID</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Birth date</source>
        <translation>Geburtsdatum</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Left</source>
        <translation>Links</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Right</source>
        <translation>Rechts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Both</source>
        <translation>Beidseits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Routine</source>
        <translation>Routine</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Check</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Zeitnah</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urgent</source>
        <translation>Dringend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emergency</source>
        <translation>Notfall</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finalized</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Knee</source>
        <translation>Knie</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Direction</source>
        <translation>Richtung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urgency</source>
        <translation>Dringlichkeit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No.</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>amends {number}</source>
        <translation>Nachtrag zu {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>amended by {number}</source>
        <translation>ersetzt durch {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>amendment {number} in progress</source>
        <translation>Nachtrag {number} in Bearbeitung</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>#{number}</source>
        <translation>Nr. {number}</translation>
    </message>
    <message>
        <location filename="../../ui/access_dialog.py" line="-81"/>
        <source>When (UTC)</source>
        <translation>Wann (UTC)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clinician</source>
        <translation>Behandler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workstation</source>
        <translation>Arbeitsplatz</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OS user</source>
        <translation>BS-Benutzer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Encounter</source>
        <translation>Konsultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
</context>
</TS>
