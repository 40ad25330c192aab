import { saveBlob } from '../shared/download';
import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, type CaseView } from '../api/client';
import { fetchDocument, useDocuments, useUploadDocument } from '../api/queries';
import { dateTime } from '../shared/format';
import { WITHHELD_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { QueryState } from '../shared/QueryState';
import { SelectField } from '../shared/fields';
import {
  DOCUMENT_CLASS_LABEL,
  fileSize,
  MEDIA_TYPE_LABEL,
  uploadProblems,
  uploadRefusal,
  withheldDocuments,
  type DocumentClass,
  type DocumentItem,
  type DocumentList,
  type UploadForm,
} from './documentForm';

/**
 * « Documents » of a situation: those this account may read (each filed under a kind of
 * information and released like it), why the others are not shown, and for the referrer the
 * form to file one. Every download is recorded in the access log.
 */
export function DocumentsTab({ view }: { view: CaseView }) {
  const documents = useDocuments(view.id);
  const [done, setDone] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const list = documents.data;

  const download = async (doc: DocumentItem) => {
    setFailure(undefined);
    try {
      saveBlob(await fetchDocument(view.id, doc.id), doc.name);
    } catch (error) {
      setFailure(
        error instanceof ApiError && error.status === 410
          ? 'Ce document a été effacé avec les informations de la situation.'
          : 'Le document n’a pas pu être téléchargé. Réessayez ; si l’erreur persiste, prévenez la coordination.',
      );
    }
  };

  return (
    <div className="stack">
      <QueryState isPending={documents.isPending} error={documents.error} what="les documents" />
      {done && (
        <div role="status">
          <Notice type={VariantType.SUCCESS} canClose onClose={() => setDone(undefined)}>
            {done}
          </Notice>
        </div>
      )}
      {failure && (
        <div role="alert">
          <Notice type={VariantType.ERROR}>{failure}</Notice>
        </div>
      )}
      {list && (
        <>
          {list.items.length === 0 ? (
            <p className="empty">Aucun document ne vous est communiqué pour cette situation.</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Documents de la situation {view.reference}</caption>
                <thead>
                  <tr>
                    <th scope="col">Document</th>
                    <th scope="col">Rubrique</th>
                    <th scope="col">Type et taille</th>
                    <th scope="col">Déposé le</th>
                    <th scope="col">
                      <span className="visually-hidden">Télécharger</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((doc) => (
                    <tr key={doc.id}>
                      <th scope="row">{doc.name}</th>
                      <td>{DOCUMENT_CLASS_LABEL[doc.class].label}</td>
                      <td>
                        {MEDIA_TYPE_LABEL[doc.mediaType]}, {fileSize(doc.size)}
                      </td>
                      <td>{dateTime(doc.uploadedAt)}</td>
                      <td>
                        <Button size="small" color="brand" variant="secondary" onClick={() => void download(doc)} aria-label={`Télécharger ${doc.name}`}>
                          Télécharger
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {withheldDocuments(list).length > 0 && (
            <section aria-labelledby={`docs-retenus-${view.id}`} className="disclosure">
              <h3 id={`docs-retenus-${view.id}`} className="disclosure__title">
                Documents qui ne vous sont pas communiqués
              </h3>
              <ul className="disclosure__list">
                {withheldDocuments(list).map(({ cls, reason }) => (
                  <li key={cls} className="disclosure__item">
                    <span className="disclosure__mark" aria-hidden="true">
                      —
                    </span>
                    <span>
                      <strong>{DOCUMENT_CLASS_LABEL[cls].label}</strong> : {WITHHELD_LABEL[reason]}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {list.upload.allowed && <UploadDocument caseId={view.id} rules={list.upload} onDone={setDone} />}
        </>
      )}
    </div>
  );
}

function UploadDocument({ caseId, rules, onDone }: { caseId: string; rules: DocumentList['upload']; onDone: (message: string) => void }) {
  const upload = useUploadDocument();
  const [cls, setCls] = useState<DocumentClass | ''>('');
  const [file, setFile] = useState<File | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);
  const fileId = useId();
  const titleId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(undefined);
    const head = file ? new Uint8Array(await file.slice(0, 8).arrayBuffer()) : undefined;
    const form: UploadForm = { cls, ...(file && head ? { file: { name: file.name, size: file.size, head } } : {}) };
    const problems = uploadProblems(form, rules);
    setErrors(problems);
    if (Object.keys(problems).length || !file || !cls) return;
    try {
      const doc = await upload.mutateAsync({ caseId, cls, file });
      onDone(`Le document « ${doc.name} » est déposé, sous la rubrique « ${DOCUMENT_CLASS_LABEL[doc.class].label} ».`);
      setCls('');
      setFile(undefined);
      if (input.current) input.current.value = '';
    } catch (error) {
      const refusal = error instanceof ApiError ? uploadRefusal(error.status, error.problem?.errors?.[0]?.field, rules) : uploadRefusal(0, undefined, rules);
      if (refusal.field) setErrors({ [refusal.field]: refusal.message });
      else setFailure(refusal.message);
    }
  };

  return (
    <section aria-labelledby={titleId} className="documents-upload stack">
      <h3 id={titleId}>Déposer un document</h3>
      <p className="muted">
        Consentement signé, courrier… PDF, PNG ou JPEG, {fileSize(rules.maxBytes)} au plus. Le document est chiffré ; il n’est communiqué qu’à qui reçoit la
        rubrique sous laquelle vous le classez.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <SelectField
          label="Rubrique"
          hint={cls ? DOCUMENT_CLASS_LABEL[cls].help : 'Elle décide qui pourra lire le document.'}
          options={rules.classes.map((value) => ({ value, label: DOCUMENT_CLASS_LABEL[value].label }))}
          value={cls}
          onChange={(value) => setCls(value as DocumentClass | '')}
          error={errors.class}
        />
        <div className="field">
          <label htmlFor={fileId} className="native-select__label">
            Fichier
          </label>
          <input
            id={fileId}
            ref={input}
            type="file"
            accept="application/pdf,image/png,image/jpeg"
            onChange={(e) => setFile(e.target.files?.[0])}
            aria-invalid={errors.file ? true : undefined}
            aria-describedby={errors.file ? `${fileId}-erreur` : undefined}
          />
          {errors.file && (
            <p id={`${fileId}-erreur`} className="field-error">
              {errors.file}
            </p>
          )}
        </div>
        {failure && (
          <div role="alert">
            <Notice type={VariantType.ERROR}>{failure}</Notice>
          </div>
        )}
        <div className="form-actions">
          <Button type="submit" disabled={upload.isPending}>
            {upload.isPending ? 'Dépôt en cours…' : 'Déposer le document'}
          </Button>
        </div>
      </form>
    </section>
  );
}
