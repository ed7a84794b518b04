<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>AccessDialog</name>
    <message>
        <location filename="../../ui/access_dialog.py" line="+34"/>
        <source>View</source>
        <translation>Ver</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print</source>
        <translation>Imprimir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change</source>
        <translation>Modificar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit list</source>
        <translation>Auditoría</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>Otro</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+12"/>
        <source>Who saw this patient</source>
        <translation>Quién vio a este paciente</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>{name}, MRN {mrn}: {n} audit rows (views, prints, exports and changes), oldest first</source>
        <translation>{name}, NHC {mrn}: {n} filas de auditoría (consultas, impresiones, exportaciones y cambios), de la más antigua a la más reciente</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>One audit row per line: when, who, where and what</source>
        <translation>Una fila de auditoría por línea: cuándo, quién, dónde y qué</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export &amp;CSV…</source>
        <translation>Exportar &amp;CSV…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export CSV</source>
        <translation>Exportar CSV</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export who saw this patient</source>
        <translation>Exportar quién vio a este paciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Written: {path}</source>
        <translation>Escrito: {path}</translation>
    </message>
</context>
<context>
    <name>Accessibility</name>
    <message>
        <location filename="../../ui/accessibility.py" line="+31"/>
        <source>{name} choices</source>
        <translation>Opciones de {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choices</source>
        <translation>Opciones</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="+130"/>
        <source>the database was not ready within {s:g} s</source>
        <translation>la base de datos no estuvo lista en {s:g} s</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the log file cannot be written ({reason})</source>
        <translation>no se puede escribir el archivo de registro ({reason})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{problem}. KneeCheck needs to write there; ask IT to make it writable.</source>
        <translation>{problem}. KneeCheck necesita escribir ahí; pida al servicio de informática que le dé permiso de escritura.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unexpected {kind}; details are in {log}</source>
        <translation>{kind} inesperado; los detalles están en {log}</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>KneeCheck cannot start</source>
        <translation>KneeCheck no puede iniciarse</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>unexpected {kind}; details are in the log</source>
        <translation>{kind} inesperado; los detalles están en el registro</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot open the database</source>
        <translation>No se puede abrir la base de datos</translation>
    </message>
</context>
<context>
    <name>AssessmentPanel</name>
    <message>
        <location filename="../../ui/assessment_panel.py" line="+81"/>
        <source>Finding</source>
        <translation>Hallazgo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Answer</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Counts towards</source>
        <translation>Cuenta para</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Points</source>
        <translation>Puntos</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Live assessment</source>
        <translation>Valoración en curso</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Prompt</source>
        <translation>Aviso</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+6"/>
        <source>Contributing findings</source>
        <translation>Hallazgos que contribuyen</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+3"/>
        <source>Next steps</source>
        <translation>Siguientes pasos</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Urgency: {urgency}</source>
        <translation>Urgencia: {urgency}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Routine</source>
        <translation>Ordinaria</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../../ui/follow_up_view.py" line="+143"/>
        <source>Direction</source>
        <translation>Orientación</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Why: {reason}</source>
        <translation>Motivo: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{target} score</source>
        <translation>Puntuación: {target}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Key items missing: {items}</source>
        <translation>Faltan ítems clave: {items}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All four key items assessed.</source>
        <translation>Los cuatro ítems clave están valorados.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nerve levels: {levels}</source>
        <translation>Niveles radiculares: {levels}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nerve levels: none indicated</source>
        <translation>Niveles radiculares: ninguno indicado</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rule set {ruleset}</source>
        <translation>Reglas {ruleset}</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>{tier} alert</source>
        <translation>Alerta {tier}</translation>
    </message>
    <message>
        <location filename="../../ui/follow_up_view.py" line="-106"/>
        <source>Scores over the visits</source>
        <translation>Puntuaciones por visita</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Since the visit of {date}</source>
        <translation>Desde la visita del {date}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Red flags present last time, not asked yet: {flags}</source>
        <translation>Signos de alarma presentes la última vez, aún no preguntados: {flags}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No finding changed so far.</source>
        <translation>Ningún hallazgo ha cambiado hasta ahora.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No finding changed.</source>
        <translation>Ningún hallazgo ha cambiado.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recorded last time, not yet this time: {items}</source>
        <translation>Registrado la última vez, aún no en esta: {items}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(then → so far)</source>
        <translation>(antes → hasta ahora)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>(then → now)</source>
        <translation>(antes → ahora)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urgency</source>
        <translation>Urgencia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scores</source>
        <translation>Puntuaciones</translation>
    </message>
    <message>
        <location filename="../../ui/leg_map_view.py" line="+41"/>
        <source>Leg map</source>
        <translation>Mapa de la pierna</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click a dermatome to record it as the dermatomal deficit</source>
        <translation>Haga clic en un dermatoma para registrarlo como déficit dermatómico</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Leg map ({leg})</source>
        <translation>Mapa de la pierna ({leg})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Leg map: {what}</source>
        <translation>Mapa de la pierna: {what}</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../ui/dialogs.py" line="+51"/>
        <source>Amend encounter</source>
        <translation>Enmendar consulta</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reason for the amendment</source>
        <translation>Motivo de la enmienda</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Reason for the amendment (required; printed on the summary):</source>
        <translation>&amp;Motivo de la enmienda (obligatorio; se imprime en el resumen):</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saved elsewhere in the meantime</source>
        <translation>Guardado en otro puesto mientras tanto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This patient&apos;s details were changed and saved on another workstation after you opened them. Nothing has been overwritten. The differences:</source>
        <translation>Los datos de este paciente se modificaron y guardaron en otro puesto después de que usted los abriera. No se ha sobrescrito nada. Las diferencias:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This encounter was changed and saved on another workstation after you opened it. Nothing has been overwritten. The differences:</source>
        <translation>Esta consulta se modificó y guardó en otro puesto después de que usted la abriera. No se ha sobrescrito nada. Las diferencias:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Differences between the stored version and yours</source>
        <translation>Diferencias entre la versión guardada y la suya</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Field</source>
        <translation>Campo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stored (other workstation)</source>
        <translation>Guardada (otro puesto)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Yours (this window)</source>
        <translation>La suya (esta ventana)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Keep mine (save on top)</source>
        <translation>&amp;Conservar la mía (guardar encima)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reload theirs</source>
        <translation>&amp;Recargar la otra</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decide &amp;later</source>
        <translation>Decidir más &amp;tarde</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Not assessed</source>
        <translation>No valorado</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. urn:oid:1.2.3 (empty: $KNEECHECK_MRN_SYSTEM, else urn:kneecheck:mrn)</source>
        <translation>p. ej., urn:oid:1.2.3 (vacío: $KNEECHECK_MRN_SYSTEM; si no, urn:kneecheck:mrn)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HL7 sending facility (empty: $KNEECHECK_FACILITY, else KNEECHECK)</source>
        <translation>Centro emisor HL7 (vacío: $KNEECHECK_FACILITY; si no, KNEECHECK)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HOST:PORT of the record system (empty: no sending)</source>
        <translation>HOST:PUERTO del sistema de historia clínica (vacío: sin envío)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A key that answers an item moves to the next item</source>
        <translation>Una tecla que responde un ítem pasa al ítem siguiente</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>System language ({language})</source>
        <translation>Idioma del sistema ({language})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The window&apos;s language from the next start of KneeCheck; summaries are printed in it unless another is chosen</source>
        <translation>El idioma de la ventana a partir del próximo inicio de KneeCheck; los resúmenes se imprimen en él salvo que se elija otro</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Clinic &amp;name</source>
        <translation>&amp;Nombre del centro</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clinic &amp;address</source>
        <translation>&amp;Dirección del centro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default &amp;clinician</source>
        <translation>&amp;Profesional por defecto</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Paper size</source>
        <translation>&amp;Tamaño del papel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Lock after no use for</source>
        <translation>&amp;Bloquear tras inactividad de</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;MRN identifier system (FHIR)</source>
        <translation>Sistema de &amp;identificador NHC (FHIR)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HL7 &amp;facility</source>
        <translation>&amp;Centro emisor HL7</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send records &amp;to (MLLP)</source>
        <translation>&amp;Enviar registros a (MLLP)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;hecklist</source>
        <translation>&amp;Lista de verificación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lan&amp;guage (from the next start)</source>
        <translation>Idio&amp;ma (desde el próximo inicio)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stored on this workstation only; no patient data is kept in settings.</source>
        <translation>Se guarda solo en este puesto; la configuración no contiene datos de pacientes.</translation>
    </message>
</context>
<context>
    <name>EncounterEditor</name>
    <message>
        <location filename="../../ui/answer_controls.py" line="+132"/>
        <location line="+37"/>
        <location line="+65"/>
        <source>Not assessed</source>
        <translation>No valorado</translation>
    </message>
    <message>
        <location filename="../../ui/encounter_editor.py" line="+113"/>
        <source>Hip screen call-out</source>
        <translation>Aviso de cadera</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Key items (answer these four first)</source>
        <translation>Ítems clave (responda primero estos cuatro)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{section}. Red flags (always check)</source>
        <translation>{section}. Signos de alarma (compruébelos siempre)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Checklist</source>
        <translation>Lista de verificación</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Red flags</source>
        <translation>Signos de alarma</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{label} (key item)</source>
        <translation>{label} (ítem clave)</translation>
    </message>
    <message>
        <location line="+182"/>
        <source>{note} Answers kept although it does not apply now; they do not count. Set them to Not assessed if they do not apply.</source>
        <translation>{note} Las respuestas se conservan aunque ahora no sea aplicable, pero no puntúan. Márquelas como No valorado si no proceden.</translation>
    </message>
</context>
<context>
    <name>EncounterSession</name>
    <message>
        <location filename="../../ui/encounter_session.py" line="+305"/>
        <source>it is finalized and read-only; amend it instead</source>
        <translation>está finalizada y es de solo lectura; enmiéndela</translation>
    </message>
    <message>
        <location line="+129"/>
        <location line="+55"/>
        <source>the encounter was changed elsewhere</source>
        <translation>la consulta se modificó en otro sitio</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>encounter {number}</source>
        <translation>consulta {number}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the new draft of the earlier patient</source>
        <translation>el nuevo borrador del paciente anterior</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it was changed on another workstation meanwhile</source>
        <translation>se modificó mientras tanto en otro puesto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the last save of {which} was not stored ({why}); open it to redo those entries</source>
        <translation>el último guardado de {which} no se almacenó ({why}); ábrala para volver a introducir esos datos</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>it was finalized on another workstation; amend it instead</source>
        <translation>se finalizó en otro puesto; enmiéndela</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Finalize was not done: the window was locked. Finalize again</source>
        <translation>No se finalizó: la ventana estaba bloqueada. Vuelva a finalizar</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>the amendment was stored as draft {number}; open it from the list</source>
        <translation>la enmienda se guardó como borrador {number}; ábrala desde la lista</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../../ui/help.py" line="+30"/>
        <source>Qt for Python: the window</source>
        <translation>Qt for Python: la ventana</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt PDF: the summary preview</source>
        <translation>Qt PDF: la vista previa del resumen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt for Python bindings</source>
        <translation>enlaces de Qt for Python</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>database access</source>
        <translation>acceso a la base de datos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>database migrations</source>
        <translation>migraciones de la base de datos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PostgreSQL driver</source>
        <translation>controlador de PostgreSQL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the printed summary</source>
        <translation>el resumen impreso</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>archival PDF/A summaries</source>
        <translation>resúmenes PDF/A de archivo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>password hashing</source>
        <translation>hash de contraseñas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>where files are kept</source>
        <translation>ubicación de los archivos</translation>
    </message>
    <message>
        <location line="+39"/>
        <source> or </source>
        <translation> o </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>see {file}</source>
        <translation>véase {file}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>not stated in its metadata</source>
        <translation>no consta en sus metadatos</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{app} {version}</source>
        <translation>{app} {version}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rule set: {ruleset}</source>
        <translation>Reglas: {ruleset}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decision support, not a diagnosis.</source>
        <translation>Apoyo a la decisión, no un diagnóstico.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bundled fonts:</source>
        <translation>Fuentes incluidas:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Libraries (Qt {qt} is bundled in the PySide6 packages, under their licence):</source>
        <translation>Bibliotecas (Qt {qt} va incluido en los paquetes de PySide6, bajo su licencia):</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+10"/>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keys</source>
        <translation>Teclas</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+7"/>
        <source>About KneeCheck</source>
        <translation>Acerca de KneeCheck</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/actions.py" line="+35"/>
        <source>&amp;Find patient</source>
        <translation>&amp;Buscar paciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/work_area.py" line="+193"/>
        <source>New &amp;patient…</source>
        <translation>Nuevo &amp;paciente…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Configuración…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Lock now</source>
        <translation>B&amp;loquear ahora</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/work_area.py" line="+20"/>
        <source>&amp;New encounter</source>
        <translation>&amp;Nueva consulta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Finalize…</source>
        <translation>&amp;Finalizar…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Amend…</source>
        <translation>&amp;Enmendar…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pre&amp;view summary</source>
        <translation>&amp;Vista previa del resumen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Print summary…</source>
        <translation>&amp;Imprimir resumen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Export…</source>
        <translation>E&amp;xportar…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sen&amp;d to record system</source>
        <translation>Envia&amp;r a la historia clínica</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;checklist</source>
        <translation>Ir a la lista de &amp;verificación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;red flags</source>
        <translation>Ir a los signos de &amp;alarma</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to the &amp;notes</source>
        <translation>Ir a las &amp;notas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Go to finding…</source>
        <translation>Ir a un &amp;hallazgo…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Red flags not asked &amp;yet: No…</source>
        <translation>Signos de alarma no pregun&amp;tados: No…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo the last answer given by key</source>
        <translation>&amp;Deshacer la última respuesta dada con tecla</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign &amp;out / switch clinician…</source>
        <translation>C&amp;errar sesión / cambiar de profesional…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Atajos de teclado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About KneeCheck</source>
        <translation>Acerca &amp;de KneeCheck</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Who saw this patient…</source>
        <translation>&amp;Quién vio a este paciente…</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Encounter</source>
        <translation>&amp;Consulta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Go</source>
        <translation>&amp;Ir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../ui/work_area.py" line="+44"/>
        <location line="+59"/>
        <source>Encounter</source>
        <translation>Consulta</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Export the encounter: PDF/A summary, FHIR R4 Bundle or HL7 v2 message</source>
        <translation>Exportar la consulta: resumen PDF/A, Bundle FHIR R4 o mensaje HL7 v2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Summary &amp;language</source>
        <translation>Idioma del re&amp;sumen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>As the window ({language})</source>
        <translation>Como la ventana ({language})</translation>
    </message>
    <message>
        <location filename="../../ui/asking.py" line="+98"/>
        <source>{what} was not done: the window was locked.</source>
        <translation>{what}: no se hizo porque la ventana estaba bloqueada.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The patient&apos;s details were not shown: the window was locked.</source>
        <translation>No se mostraron los datos del paciente: la ventana estaba bloqueada.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Amend was not done: the window was locked.</source>
        <translation>No se hizo la enmienda: la ventana estaba bloqueada.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A conflict with another workstation waits: the window was locked.</source>
        <translation>Hay un conflicto con otro puesto pendiente: la ventana estaba bloqueada.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Settings were not changed: the window was locked.</source>
        <translation>No se cambió la configuración: la ventana estaba bloqueada.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../../ui/summary_controller.py" line="+162"/>
        <source>Print was not done: the window was locked. Print again.</source>
        <translation>No se imprimió: la ventana estaba bloqueada. Vuelva a imprimir.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Go to finding was not done: the window was locked.</source>
        <translation>No se fue al hallazgo: la ventana estaba bloqueada.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Go to finding</source>
        <translation>Ir a un hallazgo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finding (type part of its name):</source>
        <translation>Hallazgo (escriba parte de su nombre):</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../../ui/summary_controller.py" line="+87"/>
        <source>Export was not done: the window was locked. Export again.</source>
        <translation>No se exportó: la ventana estaba bloqueada. Vuelva a exportar.</translation>
    </message>
    <message>
        <location filename="../../ui/encounter_view.py" line="+44"/>
        <source>Saved at {time}</source>
        <translation>Guardado a las {time}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved automatically at {time}</source>
        <translation>Guardado automáticamente a las {time}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved on top of the other workstation&apos;s version at {time}</source>
        <translation>Guardado encima de la versión del otro puesto a las {time}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finalized</source>
        <translation>Finalizada</translation>
    </message>
    <message>
        <location line="+193"/>
        <source>No encounter open</source>
        <translation>Ninguna consulta abierta</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New draft, not saved yet</source>
        <translation>Borrador nuevo, sin guardar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>FINAL, read-only: signed by {who} on {when}</source>
        <translation>FINAL, solo lectura: firmada por {who} el {when}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Superseded by amendment {number}</source>
        <translation>Sustituida por la enmienda {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DRAFT {number}, version {version}</source>
        <translation>BORRADOR {number}, versión {version}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Amends encounter {number}: {reason}</source>
        <translation>Enmienda la consulta {number}: {reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>saving…</source>
        <translation>guardando…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unsaved changes</source>
        <translation>cambios sin guardar</translation>
    </message>
    <message>
        <location line="+48"/>
        <location filename="../../ui/main_window.py" line="+462"/>
        <source>Waiting for the save to finish…</source>
        <translation>Esperando a que termine el guardado…</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>{n} red flag(s) recorded as No</source>
        <translation>{n} signo(s) de alarma registrado(s) como No</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Amendment opened as a new draft; the original is kept</source>
        <translation>Enmienda abierta como nuevo borrador; se conserva la original</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Not assessed</source>
        <translation>No valorado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{item}: {answer} (Ctrl+Z undoes)</source>
        <translation>{item}: {answer} (Ctrl+Z deshace)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No answer to undo</source>
        <translation>Nada que deshacer</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>choose the knee (left, right or both)</source>
        <translation>elija la rodilla (izquierda, derecha o ambas)</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Not saved: the encounter was changed elsewhere. Save (Ctrl+S) to decide.</source>
        <translation>No guardado: la consulta se modificó en otro sitio. Guarde (Ctrl+S) para decidir.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not saved: the database cannot be reached. Your entries are kept here; KneeCheck tries again at {time} (or press Ctrl+S).</source>
        <translation>No guardado: no se puede acceder a la base de datos. Sus datos se conservan aquí; KneeCheck lo reintentará a las {time} (o pulse Ctrl+S).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the database cannot be reached (details are in the log); your entries are kept and saved when it answers</source>
        <translation>no se puede acceder a la base de datos (los detalles están en el registro); sus datos se conservan y se guardarán cuando responda</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not saved yet: {reason}</source>
        <translation>Aún no guardado: {reason}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Automatic save failed: {reason}</source>
        <translation>Falló el guardado automático: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="+86"/>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Another workstation has just created the first account; sign in.</source>
        <translation>Otro puesto acaba de crear la primera cuenta; inicie sesión.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>KneeCheck — {name}</source>
        <translation>KneeCheck — {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed in: {name}</source>
        <translation>Sesión iniciada: {name}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>KneeCheck — locked</source>
        <translation>KneeCheck — bloqueado</translation>
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
        <translation>El nombre o la contraseña no son correctos; vuelva a intentarlo en {seconds} s</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="+17"/>
        <source>Working…</source>
        <translation>Procesando…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Database: opening…</source>
        <translation>Base de datos: abriendo…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>after {n} minutes without use</source>
        <translation>tras {n} minutos sin uso</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Opening the database…</source>
        <translation>Abriendo la base de datos…</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Database: {url}</source>
        <translation>Base de datos: {url}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>KneeCheck is connected as a PostgreSQL superuser</source>
        <translation>KneeCheck está conectado como superusuario de PostgreSQL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KneeCheck is connected as the owner of its schema</source>
        <translation>KneeCheck está conectado como propietario de su esquema</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{who}: anyone with this login can rewrite audit rows; see README ‘PostgreSQL roles’</source>
        <translation>{who}: cualquiera con este usuario puede reescribir las filas de auditoría; véase el README, ‘PostgreSQL roles’</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>nobody is signed in</source>
        <translation>sin sesión iniciada</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>by hand</source>
        <translation>manualmente</translation>
    </message>
    <message>
        <location line="+189"/>
        <source>Not closed: the summary is still printing on {name}; close again once it is done.</source>
        <translation>No se cerró: el resumen aún se está imprimiendo en {name}; vuelva a cerrar cuando termine.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not closed: the database has not answered yet; your entries are kept here. Close again later.</source>
        <translation>No se cerró: la base de datos aún no ha respondido; sus datos se conservan aquí. Vuelva a cerrar más tarde.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not closed: the encounter was not finalized (see the message); it is still a draft. Finalize again or close again.</source>
        <translation>No se cerró: la consulta no se finalizó (véase el mensaje); sigue siendo un borrador. Vuelva a finalizar o a cerrar.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Unsaved entries are kept behind the lock: unlock first, then save or discard them.</source>
        <translation>Los datos sin guardar se conservan tras el bloqueo: desbloquee primero y luego guárdelos o descártelos.</translation>
    </message>
    <message>
        <location filename="../../ui/patients.py" line="+34"/>
        <source>female</source>
        <translation>mujer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>male</source>
        <translation>hombre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>other</source>
        <translation>otro</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Opening the database… the search runs as soon as it is open.</source>
        <translation>Abriendo la base de datos… la búsqueda se hará en cuanto esté abierta.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>First {n} matches; type more to narrow.</source>
        <translation>Primeras {n} coincidencias; escriba más para acotar.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} patient(s) found</source>
        <translation>{n} paciente(s) encontrado(s)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No patient found. Create one with New patient.</source>
        <translation>No se encontró ningún paciente. Cree uno con Nuevo paciente.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Search failed: {reason}</source>
        <translation>Falló la búsqueda: {reason}</translation>
    </message>
    <message>
        <location line="+114"/>
        <location filename="../../ui/work_area.py" line="-114"/>
        <source>No patient selected</source>
        <translation>Ningún paciente seleccionado</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>MRN {mrn} · born {birth} ({age} y) · {sex}</source>
        <translation>NHC {mrn} · nac. {birth} ({age} a) · {sex}</translation>
    </message>
    <message>
        <location filename="../../ui/summary_controller.py" line="-183"/>
        <source>The summary was not made: the entries kept changing; try again.</source>
        <translation>No se generó el resumen: los datos no dejaban de cambiar; vuelva a intentarlo.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The summary was not made: the entries are not stored yet.</source>
        <translation>No se generó el resumen: los datos aún no están guardados.</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Still printing on {name}: wait until it is done.</source>
        <translation>Aún imprimiendo en {name}: espere a que termine.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Summary written to {path}</source>
        <translation>Resumen escrito en {path}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>no printer was chosen.</source>
        <translation>no se eligió ninguna impresora.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sent to printer {name}: {n} page(s), CUPS job {job}</source>
        <translation>Enviado a la impresora {name}: {n} página(s), trabajo CUPS {job}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Printer {name} did not take the job: {reason}</source>
        <translation>La impresora {name} no aceptó el trabajo: {reason}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sending to printer {name}…</source>
        <translation>Enviando a la impresora {name}…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Export encounter</source>
        <translation>Exportar consulta</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>PDF/A summary</source>
        <translation>Resumen PDF/A</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FHIR R4 Bundle</source>
        <translation>Bundle FHIR R4</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>HL7 v2 message</source>
        <translation>Mensaje HL7 v2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exported the {what} to {path}</source>
        <translation>Exportado ({what}) a {path}</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Sending to {where}…</source>
        <translation>Enviando a {where}…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Encounter {number} accepted by {where} ({code})</source>
        <translation>Consulta {number} aceptada por {where} ({code})</translation>
    </message>
    <message>
        <location filename="../../ui/work_area.py" line="-163"/>
        <source>Left</source>
        <translation>Izquierda</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Right</source>
        <translation>Derecha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Both</source>
        <translation>Ambas</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>Find pat&amp;ient (name, MRN or birth date):</source>
        <translation>&amp;Buscar (nombre, NHC o fecha nac.):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. Doe, A-1001 or 1961-04-02</source>
        <translation>p. ej., García, A-1001 o 1961-04-02</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find patient</source>
        <translation>Buscar paciente</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Patients found</source>
        <translation>Pacientes encontrados</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Edi&amp;t patient…</source>
        <translation>&amp;Editar paciente…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Enco&amp;unters (newest first):</source>
        <translation>Consul&amp;tas (la más reciente primero):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encounters</source>
        <translation>Consultas</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Date</source>
        <translation>&amp;Fecha</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Knee</source>
        <translation>&amp;Rodilla</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clinician</source>
        <translation>Profesional</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Choose a patient, then New encounter (Ctrl+N).</source>
        <translation>Elija un paciente y luego Nueva consulta (Ctrl+N).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Clinician&apos;s notes</source>
        <translation>Notas del profesional</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Knee choices</source>
        <translation>Opciones de rodilla</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Checklist</source>
        <translation>Lista de &amp;verificación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>N&amp;otes</source>
        <translation>N&amp;otas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Summary</source>
        <translation>Re&amp;sumen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Integrity warning</source>
        <translation>Aviso de integridad</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rule set notice</source>
        <translation>Aviso de reglas</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Not saved</source>
        <translation>No guardado</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/messages.py" line="+33"/>
        <source>Unsaved changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This encounter has changes that are not saved yet. Save them now?</source>
        <translation>Esta consulta tiene cambios que aún no se han guardado. ¿Guardarlos ahora?</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>Finalize encounter</source>
        <translation>Finalizar consulta</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Finalize this encounter? It becomes read-only and is signed with your name and the time. Later changes need an amendment with a reason.</source>
        <translation>¿Finalizar esta consulta? Pasará a ser de solo lectura y se firmará con su nombre y la hora. Los cambios posteriores requerirán una enmienda con su motivo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>These red flags were never asked:
{flags}

Finalize anyway? The summary lists them as not asked. The encounter becomes read-only and is signed with your name and the time.</source>
        <translation>Estos signos de alarma no se preguntaron nunca:
{flags}

¿Finalizar de todos modos? El resumen los indicará como no preguntados. La consulta pasará a ser de solo lectura y se firmará con su nombre y la hora.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Red flags not asked</source>
        <translation>Signos de alarma no preguntados</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record “No” for each red flag not asked yet?
{flags}

Only do this when you asked about each of them and the answer was no.</source>
        <translation>¿Registrar «No» en cada signo de alarma aún no preguntado?
{flags}

Hágalo solo si ha preguntado por cada uno de ellos y la respuesta fue no.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Red flags</source>
        <translation>Signos de alarma</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Every red flag has an answer already.</source>
        <translation>Todos los signos de alarma tienen ya una respuesta.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to finding</source>
        <translation>Ir a un hallazgo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No finding of this checklist matches “{text}”.</source>
        <translation>Ningún hallazgo de esta lista coincide con «{text}».</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rule set changed</source>
        <translation>Reglas cambiadas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This draft was assessed under rule set {old} when it was last saved. KneeCheck now uses rule set {new}: the panel shows the {new} assessment, and saving the draft stores it.</source>
        <translation>Este borrador se valoró con el conjunto de reglas {old} la última vez que se guardó. KneeCheck usa ahora el conjunto de reglas {new}: el panel muestra la valoración según {new}, y al guardar el borrador se almacena esta.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rule set not known here</source>
        <translation>Reglas desconocidas aquí</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This draft was assessed under rule set {old}, which this KneeCheck does not have (a newer release saved it). The panel shows rule set {new}; saving or finalizing it is refused until KneeCheck is updated on this workstation.</source>
        <translation>Este borrador se valoró con el conjunto de reglas {old}, que este KneeCheck no tiene (lo guardó una versión más reciente). El panel muestra el conjunto de reglas {new}; no se podrá guardar ni finalizar hasta que se actualice KneeCheck en este puesto.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No record system set</source>
        <translation>Sin sistema de destino</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set where records are sent (Settings: Send records to) first.</source>
        <translation>Configure primero adónde se envían los registros (Configuración: Enviar registros a).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not accepted</source>
        <translation>No aceptado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The record system did not confirm that it accepted the encounter: {reason}.{said}
Without an answer it may still have received it. Nothing is lost; sending again is safe (the message names the same document), or export it instead.</source>
        <translation>El sistema de historia clínica no confirmó que hubiera aceptado la consulta: {reason}.{said}
Sin respuesta, puede que aun así la haya recibido. No se pierde nada; volver a enviarla es seguro (el mensaje identifica el mismo documento), o bien expórtela.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Encounter is final</source>
        <translation>La consulta es final</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>This encounter is finalized and cannot be changed. Use Amend to correct it.</source>
        <translation>Esta consulta está finalizada y no se puede modificar. Use Enmendar para corregirla.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not save</source>
        <translation>No se pudo guardar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The encounter was not saved: {reason}
Your entries are still in the window.</source>
        <translation>La consulta no se guardó: {reason}
Sus datos siguen en la ventana.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Database problem</source>
        <translation>Problema con la base de datos</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{reason}</source>
        <translation>{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No patient selected</source>
        <translation>Ningún paciente seleccionado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Find or create a patient first.</source>
        <translation>Busque o cree primero un paciente.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No encounter open</source>
        <translation>Ninguna consulta abierta</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open or start an encounter first.</source>
        <translation>Abra o inicie primero una consulta.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recover draft</source>
        <translation>Recuperar borrador</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KneeCheck was not closed normally. A draft encounter (number {encounter_id}) was open and is saved up to its last automatic save. Open it again?</source>
        <translation>KneeCheck no se cerró correctamente. Había un borrador de consulta abierto (número {encounter_id}), guardado hasta su último guardado automático. ¿Abrirlo de nuevo?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not export</source>
        <translation>No se pudo exportar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The summary was not written: {reason}</source>
        <translation>No se escribió el resumen: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not print</source>
        <translation>No se pudo imprimir</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The summary was not printed: {reason}</source>
        <translation>No se imprimió el resumen: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not printed</source>
        <translation>No impreso</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Printer {name} did not take the job: {reason}.
Nothing is lost; print again, or choose another printer.</source>
        <translation>La impresora {name} no aceptó el trabajo: {reason}.
No se pierde nada; vuelva a imprimir o elija otra impresora.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Summary not available</source>
        <translation>Resumen no disponible</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The summary could not be made: {reason}</source>
        <translation>No se pudo generar el resumen: {reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unexpected error</source>
        <translation>Error inesperado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Something went wrong inside KneeCheck ({kind}). The window stays open and your entries are kept; save your work. Details were written to the log:
{log}</source>
        <translation>Algo falló dentro de KneeCheck ({kind}). La ventana sigue abierta y sus datos se conservan; guarde su trabajo. Los detalles se escribieron en el registro:
{log}</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>Integrity warning</source>
        <translation>Aviso de integridad</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>This finalized encounter does not match its signed revision: it may have been altered outside KneeCheck. Run `verify` and tell IT.</source>
        <translation>Esta consulta finalizada no coincide con su revisión firmada: puede haberse alterado fuera de KneeCheck. Ejecute `verify` y avise al servicio de informática.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The finalized encounter this draft amends does not match its signed revision: it may have been altered outside KneeCheck. Run `verify` and tell IT.</source>
        <translation>La consulta finalizada que enmienda este borrador no coincide con su revisión firmada: puede haberse alterado fuera de KneeCheck. Ejecute `verify` y avise al servicio de informática.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not saved</source>
        <translation>No guardado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not saved: {reason}. Correct it; the encounter is saved as soon as it can be.</source>
        <translation>No guardado: {reason}. Corríjalo; la consulta se guardará en cuanto sea posible.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Knee</source>
        <translation>Rodilla</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clinician</source>
        <translation>Profesional</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MRN</source>
        <translation>NHC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Family name</source>
        <translation>Apellidos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Given name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient&apos;s birth date</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>Sexo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason for the amendment</source>
        <translation>Motivo de la enmienda</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password</source>
        <translation>Contraseña nueva</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encounter</source>
        <translation>Consulta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finding</source>
        <translation>Hallazgo</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Entry</source>
        <translation>Dato</translation>
    </message>
</context>
<context>
    <name>PatientDialog</name>
    <message>
        <location filename="../../ui/patient_dialog.py" line="+36"/>
        <source>Female</source>
        <translation>Mujer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Male</source>
        <translation>Hombre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>Otro</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;MRN</source>
        <translation>&amp;NHC</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Family name</source>
        <translation>&amp;Apellidos</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Given name</source>
        <translation>N&amp;ombre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Birth date (YYYY-MM-DD)</source>
        <translation>&amp;Fecha de nacimiento (AAAA-MM-DD)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Sex</source>
        <translation>&amp;Sexo</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Edit patient</source>
        <translation>Editar paciente</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New patient</source>
        <translation>Nuevo paciente</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-DD</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Error</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../ui/sign_in.py" line="+38"/>
        <source>Opening the database…</source>
        <translation>Abriendo la base de datos…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign-in is possible as soon as the database is open.</source>
        <translation>Podrá iniciar sesión en cuanto la base de datos esté abierta.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create the first clinician account</source>
        <translation>Cree la primera cuenta de profesional</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This database has no clinician accounts yet. Create yours: every change and every printed or exported summary will be recorded under this name. The password needs at least 8 characters.</source>
        <translation>Esta base de datos aún no tiene cuentas de profesionales. Cree la suya: cada cambio y cada resumen impreso o exportado quedará registrado con este nombre. La contraseña debe tener al menos 8 caracteres.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign in with your clinician account.</source>
        <translation>Inicie sesión con su cuenta de profesional.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked</source>
        <translation>Bloqueado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KneeCheck was locked {why}; patient data is hidden. Sign in again to continue: unsaved entries are kept. Another clinician may sign in here instead.</source>
        <translation>KneeCheck se bloqueó {why}; los datos del paciente están ocultos. Vuelva a iniciar sesión para continuar: los datos sin guardar se conservan. Otro profesional puede iniciar sesión aquí en su lugar.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Password &amp;again</source>
        <translation>&amp;Repetir contraseña</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Password</source>
        <translation>C&amp;ontraseña</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Password again</source>
        <translation>Repetir contraseña</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>by hand</source>
        <translation>manualmente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Create account and sign in</source>
        <translation>&amp;Crear cuenta e iniciar sesión</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Unlock</source>
        <translation>&amp;Desbloquear</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Sign in</source>
        <translation>&amp;Iniciar sesión</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Type your name.</source>
        <translation>Escriba su nombre.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The two passwords differ; type them again.</source>
        <translation>Las dos contraseñas no coinciden; vuelva a escribirlas.</translation>
    </message>
</context>
<context>
    <name>SummaryView</name>
    <message>
        <location filename="../../ui/summary_view.py" line="+51"/>
        <source>PDF/A summary (*.pdf)</source>
        <translation>Resumen PDF/A (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FHIR R4 Bundle (*.json)</source>
        <translation>Bundle FHIR R4 (*.json)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HL7 v2 message (*.hl7)</source>
        <translation>Mensaje HL7 v2 (*.hl7)</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Save the encounter, then choose Preview (Ctrl+Shift+V) to see the printed summary.</source>
        <translation>Guarde la consulta y luego elija Vista previa (Ctrl+Mayús+V) para ver el resumen impreso.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The encounter changed after this summary was made. Choose Preview (Ctrl+Shift+V) to see it as it is now.</source>
        <translation>La consulta cambió después de generar este resumen. Elija Vista previa (Ctrl+Mayús+V) para verla tal como está ahora.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+19"/>
        <source>Summary preview</source>
        <translation>Vista previa del resumen</translation>
    </message>
</context>
<context>
    <name>Tables</name>
    <message>
        <location filename="../../ui/tables.py" line="+81"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MRN</source>
        <translation>NHC</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Birth date</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Left</source>
        <translation>Izquierda</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Right</source>
        <translation>Derecha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Both</source>
        <translation>Ambas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Routine</source>
        <translation>Ordinaria</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Check</source>
        <translation>Comprobar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Preferente</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urgent</source>
        <translation>Urgente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emergency</source>
        <translation>Emergencia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draft</source>
        <translation>Borrador</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finalized</source>
        <translation>Finalizada</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Knee</source>
        <translation>Rodilla</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Direction</source>
        <translation>Orientación</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urgency</source>
        <translation>Urgencia</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No.</source>
        <translation>N.º</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>amends {number}</source>
        <translation>enmienda {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>amended by {number}</source>
        <translation>enmendada por {number}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>amendment {number} in progress</source>
        <translation>enmienda {number} en curso</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>#{number}</source>
        <translation>n.º {number}</translation>
    </message>
    <message>
        <location filename="../../ui/access_dialog.py" line="-81"/>
        <source>When (UTC)</source>
        <translation>Cuándo (UTC)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clinician</source>
        <translation>Profesional</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workstation</source>
        <translation>Puesto</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OS user</source>
        <translation>Usuario del SO</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Encounter</source>
        <translation>Consulta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detail</source>
        <translation>Detalle</translation>
    </message>
</context>
</TS>
