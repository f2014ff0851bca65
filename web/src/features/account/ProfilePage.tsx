import { zodResolver } from '@hookform/resolvers/zod'
import { useForm } from 'react-hook-form'
import { useProfile, useUpdateProfile, type Profile } from '../../api/account.ts'
import { t } from '../../lib/i18n/index.ts'
import {
  Button,
  ErrorAlert,
  Section,
  Skeleton,
  TextInput,
  useServerErrors,
  useToast,
  useUnsavedChangesPrompt,
} from '../../ui/index.ts'
import {
  profileFormValues,
  profileSchema,
  type ProfileForm as ProfileFormValues,
  type ProfileOutput,
} from './account.schema.ts'

const FIELDS = [
  'username',
  'telegram',
  'billing.name',
  'billing.company',
  'billing.address_line1',
  'billing.address_line2',
  'billing.postal_code',
  'billing.city',
  'billing.country',
  'billing.vat_id',
] as const
// The API may name a billing field without its prefix.
const ALIASES = Object.fromEntries(
  FIELDS.filter(f => f.startsWith('billing.')).map(f => [f.slice('billing.'.length), f]),
) as Partial<Record<string, (typeof FIELDS)[number]>>

export function ProfilePage() {
  const profile = useProfile()
  return (
    <Section title={t.account.profileTitle}>
      {profile.isPending ? (
        <Skeleton lines={6} />
      ) : profile.isError ? (
        <ErrorAlert error={profile.error} />
      ) : (
        <ProfileForm profile={profile.data} />
      )}
    </Section>
  )
}

function ProfileForm({ profile }: { profile: Profile }) {
  const toast = useToast()
  const { register, handleSubmit, setError, reset, formState } = useForm<ProfileFormValues, unknown, ProfileOutput>({
    resolver: zodResolver(profileSchema),
    defaultValues: profileFormValues(profile),
  })
  useUnsavedChangesPrompt(formState.isDirty)
  const server = useServerErrors(setError, FIELDS, ALIASES)
  const update = useUpdateProfile({
    onSuccess: saved => {
      reset(profileFormValues(saved))
      toast.success(t.account.profileSaved)
    },
    onError: e => server.handle(e),
  })
  const e = formState.errors
  const submit = handleSubmit(body => {
    server.clear()
    update.mutate(body)
  })
  return (
    <form className="form" onSubmit={ev => void submit(ev)} noValidate>
      {server.formError !== null && <ErrorAlert error={server.formError} />}
      <TextInput label={t.auth.email} value={profile.email} readOnly type="email" />
      <div className="form-grid">
        <TextInput
          label={t.auth.username}
          autoComplete="nickname"
          required
          error={e.username?.message}
          {...register('username')}
        />
        <TextInput label={t.account.telegram} optional error={e.telegram?.message} {...register('telegram')} />
      </div>
      <div className="form-grid">
        <TextInput
          label={t.account.billingName}
          optional
          autoComplete="name"
          error={e.billing?.name?.message}
          {...register('billing.name')}
        />
        <TextInput
          label={t.account.company}
          optional
          autoComplete="organization"
          error={e.billing?.company?.message}
          {...register('billing.company')}
        />
      </div>
      <TextInput
        label={t.account.addressLine1}
        optional
        autoComplete="address-line1"
        error={e.billing?.address_line1?.message}
        {...register('billing.address_line1')}
      />
      <TextInput
        label={t.account.addressLine2}
        optional
        autoComplete="address-line2"
        error={e.billing?.address_line2?.message}
        {...register('billing.address_line2')}
      />
      <div className="form-grid">
        <TextInput
          label={t.account.postalCode}
          optional
          autoComplete="postal-code"
          error={e.billing?.postal_code?.message}
          {...register('billing.postal_code')}
        />
        <TextInput
          label={t.account.city}
          optional
          autoComplete="address-level2"
          error={e.billing?.city?.message}
          {...register('billing.city')}
        />
        <TextInput
          label={t.account.country}
          hint={t.account.countryHint}
          optional
          autoComplete="country"
          maxLength={2}
          error={e.billing?.country?.message}
          {...register('billing.country')}
        />
        <TextInput
          label={t.account.vatId}
          optional
          error={e.billing?.vat_id?.message}
          {...register('billing.vat_id')}
        />
      </div>
      <div className="actions">
        <Button type="submit" disabled={!formState.isDirty} pending={update.isPending} pendingLabel={t.form.saving}>
          {t.form.save}
        </Button>
        <Button variant="secondary" disabled={!formState.isDirty || update.isPending} onClick={() => reset()}>
          {t.form.cancel}
        </Button>
      </div>
    </form>
  )
}
