export {
  createMailer,
  mailMessageId,
  redactSmtpUrl,
  smtpFailure,
  type MailAddress,
  type Mailer,
  type MailerOptions,
  type OutgoingMail,
  type SendResult,
  type SmtpFailure,
} from './mailer.ts'
